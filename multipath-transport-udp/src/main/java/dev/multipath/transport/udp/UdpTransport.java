package dev.multipath.transport.udp;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Transport;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames in UDP datagrams, one frame per datagram. No reliability or congestion control here: those are the
 * engine's (see {@code dev.multipath.cc.PathController}); a send blocks only while the socket buffer is full.
 *
 * <p><b>Connecting</b> ({@link #connect}, local portal, one per path): one socket bound to the path's local address
 * (so policy routing sends it out of the path's interface) and connected to the remote portal; exactly one
 * {@link UdpLink}, reported up at {@link #start}. Send errors (ENETUNREACH, EPERM, ICMP port unreachable) make
 * {@link UdpLink#send} return false and are counted, never thrown. When the local address is specific, a monitor
 * thread checks every {@value #MONITOR_INTERVAL_MS} ms whether the address still sits on an interface that is up,
 * and reports {@link FrameSink#onLinkDown} / {@link FrameSink#onLinkUp} when that changes (an {@code ip link set
 * down} is thus noticed in at most that time; a silent black hole is for the engine's probes to find).
 *
 * <p><b>Listening</b> ({@link #listen}, remote portal): one socket; each distinct source address becomes a link
 * on its first datagram ({@link FrameSink#onLinkUp} then {@link FrameSink#onFrame}), in a table bounded by
 * {@link UdpOptions#maxPeers()} (the least recently heard is evicted with {@link FrameSink#onLinkDown}). Anybody
 * can make a link appear by sending a datagram: the engine must trust a link only after an authenticated frame
 * from it, and must answer nothing before.
 *
 * <p><b>Threads</b>: one platform receive thread per socket, reading into one reused heap buffer (no allocation
 * per datagram in steady state; on the listening side the JDK caches the last source address, so alternating
 * peers may cost one small address object per datagram). {@link #start} and {@link #close} come from a control
 * thread; {@link #close} closes the socket and joins every thread it started. A sink that throws is logged and
 * counted; the receive thread carries on.
 */
public final class UdpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    static final int MONITOR_INTERVAL_MS = 200;
    private static final int IPV4_OVERHEAD = 20 + 8;
    private static final int IPV6_OVERHEAD = 40 + 8;
    private static final int MAX_DATAGRAM = 65535;

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final UdpOptions options;
    private final int wireOverhead;
    private final AtomicLong datagramsReceived = new AtomicLong();
    private final AtomicLong emptyDatagrams = new AtomicLong();
    private final AtomicLong coalescedReceives = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final AtomicLong evictions = new AtomicLong();
    private volatile DatagramChannel channel;
    private volatile FrameSink sink;
    private volatile UdpLink clientLink;
    private volatile PeerTable peers;
    private volatile boolean closed;
    private Thread receiver;
    /** Non-null when the socket uses UDP receive offload (then the receive loops read through it). */
    private volatile GroReceiver gro;
    private Thread monitor;

    private UdpTransport(InetSocketAddress local, InetSocketAddress remote, UdpOptions options) {
        this.local = local;
        this.remote = remote;
        this.options = options;
        InetAddress family = remote != null ? remote.getAddress() : local.getAddress();
        this.wireOverhead = family instanceof Inet6Address ? IPV6_OVERHEAD : IPV4_OVERHEAD;
    }

    /**
     * A connecting transport (local portal side) with {@link UdpOptions#defaults()}.
     *
     * @param local the path's local address (port 0 for any); the socket is bound to it
     * @param remote the remote portal's endpoint
     */
    public static UdpTransport connect(InetSocketAddress local, InetSocketAddress remote) {
        return connect(local, remote, UdpOptions.defaults());
    }

    public static UdpTransport connect(InetSocketAddress local, InetSocketAddress remote, UdpOptions options) {
        if (remote == null || remote.isUnresolved()) {
            throw new IllegalArgumentException("remote endpoint must be a resolved address: " + remote);
        }
        return new UdpTransport(local == null ? new InetSocketAddress(0) : local, remote, options);
    }

    /** A listening transport (remote portal side) with {@link UdpOptions#defaults()}. */
    public static UdpTransport listen(InetSocketAddress bind) {
        return listen(bind, UdpOptions.defaults());
    }

    public static UdpTransport listen(InetSocketAddress bind, UdpOptions options) {
        if (bind == null || bind.isUnresolved()) {
            throw new IllegalArgumentException("bind address must be resolved: " + bind);
        }
        return new UdpTransport(bind, null, options);
    }

    @Override
    public synchronized void start(FrameSink sink) throws IOException {
        if (this.sink != null || closed) {
            throw new IllegalStateException("start called twice or after close");
        }
        this.sink = sink;
        boolean v6 = wireOverhead == IPV6_OVERHEAD;
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            if (options.socketBufferBytes() > 0) {
                ch.setOption(StandardSocketOptions.SO_SNDBUF, options.socketBufferBytes());
                ch.setOption(StandardSocketOptions.SO_RCVBUF, options.socketBufferBytes());
            }
            if (remote == null) {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote);
            }
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw new IOException("UDP " + (remote == null ? "listen on " + local : "from " + local + " to " + remote)
                    + ": " + e.getMessage(), e);
        }
        this.channel = ch;
        this.gro = GroReceiver.open(ch);
        String name = "mp-udp-" + (remote == null ? "listen-" : "path-") + ch.getLocalAddress();
        if (remote != null) {
            clientLink = new UdpLink(ch, remote, true, maxFrameSize());
            sink.onLinkUp(clientLink);
            receiver = platformThread(name + "-recv", this::clientReceiveLoop);
            if (!local.getAddress().isAnyLocalAddress()) {
                monitor = platformThread(name + "-monitor", this::monitorLoop);
            }
        } else {
            peers = new PeerTable(options.maxPeers());
            receiver = platformThread(name + "-recv", this::listenReceiveLoop);
        }
    }

    private static Thread platformThread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void clientReceiveLoop() {
        if (gro != null) {
            offloadReceiveLoop(gro, true);
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        DatagramChannel ch = channel;
        while (!closed) {
            buf.clear();
            try {
                ch.read(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable and friends are reported on a connected socket's next read: not fatal.
                receiveErrors.incrementAndGet();
                continue;
            }
            buf.flip();
            deliver(clientLink, buf);
        }
    }

    private void listenReceiveLoop() {
        if (gro != null) {
            offloadReceiveLoop(gro, false);
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(MAX_DATAGRAM);
        DatagramChannel ch = channel;
        while (!closed) {
            buf.clear();
            SocketAddress source;
            try {
                source = ch.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                receiveErrors.incrementAndGet();
                continue;
            }
            if (!(source instanceof InetSocketAddress)) {
                continue;
            }
            buf.flip();
            deliver(linkFor((InetSocketAddress) source), buf);
        }
    }

    /** Listening side: the source's link, made (and reported up, evicting the least recently heard) if new. */
    private UdpLink linkFor(InetSocketAddress from) {
        UdpLink link = peers.get(from);
        if (link == null) {
            link = new UdpLink(channel, from, false, maxFrameSize());
            UdpLink gone = peers.add(from, link);
            if (gone != null) {
                evictions.incrementAndGet();
                gone.setUp(false);
                safely(() -> sink.onLinkDown(gone));
            }
            UdpLink created = link;
            safely(() -> sink.onLinkUp(created));
        }
        return link;
    }

    /**
     * Receives through {@link GroReceiver}: each run of datagrams is cut at the segment size and delivered datagram
     * by datagram, exactly as they were sent. Ends when the transport closes (the receive timeout lets it look).
     */
    private void offloadReceiveLoop(GroReceiver r, boolean connected) {
        ByteBuffer data = r.data();
        while (!closed) {
            int n = r.receive();
            if (n == GroReceiver.AGAIN) {
                continue;
            }
            if (n == GroReceiver.ERROR) {
                receiveErrors.incrementAndGet();
                continue;
            }
            UdpLink link;
            if (connected) {
                link = clientLink;
            } else {
                InetSocketAddress from = r.source();
                if (from == null) {
                    continue;
                }
                link = linkFor(from);
            }
            int segment = Math.max(1, r.segment());
            if (n > segment) {
                coalescedReceives.incrementAndGet();
            }
            int at = 0;
            do {
                int end = Math.min(n, at + segment);
                data.limit(end).position(at);
                deliver(link, data);
                at = end;
            } while (at < n);
        }
    }

    private void deliver(UdpLink link, ByteBuffer buf) {
        if (!buf.hasRemaining()) {
            emptyDatagrams.incrementAndGet();
            return;
        }
        datagramsReceived.incrementAndGet();
        try {
            sink.onFrame(link, buf);
        } catch (RuntimeException e) {
            sinkFailures.incrementAndGet();
            LOG.warn("frame sink failed on {}; frame dropped", link, e);
        }
    }

    private void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            sinkFailures.incrementAndGet();
            LOG.warn("frame sink failed on a link event", e);
        }
    }

    /** Connecting side: reports the link down while its local address is gone or its interface is down. */
    private void monitorLoop() {
        InetAddress address = local.getAddress();
        while (!closed) {
            try {
                Thread.sleep(MONITOR_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            boolean present;
            try {
                NetworkInterface ni = NetworkInterface.getByInetAddress(address);
                present = ni != null && ni.isUp();
            } catch (SocketException e) {
                present = true; // cannot tell: keep the link as it is
            }
            UdpLink link = clientLink;
            if (closed || link == null) {
                return;
            }
            boolean wasUp = link.isUp();
            if (wasUp && !present) {
                link.setUp(false);
                LOG.info("UDP path {}: local address {} gone or interface down", link, address.getHostAddress());
                safely(() -> sink.onLinkDown(link));
            } else if (!wasUp && present) {
                link.setUp(true);
                LOG.info("UDP path {}: local address {} back", link, address.getHostAddress());
                safely(() -> sink.onLinkUp(link));
            }
        }
    }

    @Override
    public String kind() {
        return "udp";
    }

    /** 28 bytes (IPv4 + UDP) or 48 (IPv6 + UDP), by the remote's (connecting) or bind address's family. */
    @Override
    public int wireOverhead() {
        return wireOverhead;
    }

    /** The largest frame: path MTU minus {@link #wireOverhead()} (1472 with the default MTU over IPv4). */
    public int maxFrameSize() {
        return options.pathMtu() - wireOverhead;
    }

    /** The socket's bound address (with the ephemeral port chosen), or null before {@link #start}. */
    public InetSocketAddress localAddress() {
        try {
            DatagramChannel ch = channel;
            return ch == null ? null : (InetSocketAddress) ch.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Connecting side: the one link (null before {@link #start}). */
    public UdpLink link() {
        return clientLink;
    }

    /** Listening side: peers currently tracked. */
    public int peerCount() {
        PeerTable p = peers;
        return p == null ? 0 : p.size();
    }

    public long datagramsReceived() {
        return datagramsReceived.get();
    }

    /** Receives that returned several datagrams at once (UDP receive offload). */
    public long coalescedReceives() {
        return coalescedReceives.get();
    }

    /** Whether this transport's socket uses UDP receive offload. */
    public boolean receiveOffloadActive() {
        return gro != null;
    }

    /** Empty datagrams dropped. */
    public long emptyDatagrams() {
        return emptyDatagrams.get();
    }

    /** Receive calls that failed without closing the socket (ICMP errors and the like). */
    public long receiveErrors() {
        return receiveErrors.get();
    }

    /** Times the sink threw (frame or event dropped). */
    public long sinkFailures() {
        return sinkFailures.get();
    }

    /** Listening side: links evicted to keep the table bounded. */
    public long evictions() {
        return evictions.get();
    }

    @Override
    public void close() throws IOException {
        Thread r;
        Thread m;
        DatagramChannel ch;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            r = receiver;
            m = monitor;
            ch = channel;
        }
        if (gro != null) {
            // The receive thread reads the descriptor natively: let it leave (within the receive timeout) before
            // the descriptor is closed and its number can be reused.
            join(r);
        }
        if (ch != null) {
            ch.close(); // unblocks the receive thread
        }
        if (m != null) {
            m.interrupt();
        }
        join(r);
        join(m);
        UdpLink link = clientLink;
        if (link != null) {
            link.setUp(false);
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return remote == null ? "udp listen " + local : "udp " + local + " -> " + remote;
    }
}
