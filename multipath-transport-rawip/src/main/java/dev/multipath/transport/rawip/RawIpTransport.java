package dev.multipath.transport.rawip;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Transport;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries each frame as the whole payload of one IP datagram with an experimental protocol number (RFC 3692: 253 by
 * default), over IPv4 or IPv6, through a raw socket. No transport header and no ports: 20 (IPv4) or 40 (IPv6) bytes
 * per frame on the wire, against 28/48 for UDP.
 *
 * <p>Two roles:
 * <ul>
 *   <li>{@link #connect}: the local portal's side of one path. One raw socket bound to the path's local address and
 *       connected to the remote portal (the kernel then delivers only the remote's datagrams). Exactly one link,
 *       reported up at {@link #start} and down at {@link #close}: there is no connection to lose.</li>
 *   <li>{@link #listen}: the remote portal's side. One raw socket bound to an address; every distinct source address
 *       becomes a link, reported up at its first datagram. Anyone can send from any (spoofed) address, so the table is
 *       bounded ({@value #DEFAULT_MAX_LINKS} by default): when full, a link silent for 30 s or more is evicted
 *       (reported down), otherwise the new address is refused and counted ({@link #linksRefused()}). A link here is
 *       only an address that sent something: the engine trusts a path only after an authenticated frame on it, and
 *       answers nothing before.</li>
 * </ul>
 *
 * <p>Framing: an IPv4 raw socket receives the IP header too; it is checked (version, header length, protocol, total
 * length) and stripped. An IPv6 raw socket receives only the payload. Empty, truncated or malformed datagrams are
 * dropped and counted. Frames are never fragmented (IP_MTU_DISCOVER / IPV6_MTU_DISCOVER = DO): a frame larger than
 * {@link #maxFrameSize()} (path MTU minus the IP header) is refused with false and counted.
 *
 * <p>Threads: one platform receive thread per transport (it blocks in native poll/recvfrom), calling the sink with one
 * reused buffer; nothing is allocated per datagram. Sends run on the caller's thread; concurrent sends (a rare
 * handshake reply from a receive thread) are serialized so each frame leaves whole, and a send blocks only while the
 * socket's send buffer is full. {@link #close} wakes the receiver through an eventfd, joins it, closes the descriptors
 * and reports the links down.
 *
 * <p>Errors: {@link #start} throws an {@link IOException} with a one-line reason: "raw IP transport needs root or
 * CAP_NET_RAW" without the capability, or the address is not local. Linux only.
 */
public final class RawIpTransport implements Transport {

    /** RFC 3692 experimental protocol number used by default (254 is the other one). */
    public static final int DEFAULT_PROTOCOL = ProtocolNumbers.DEFAULT;
    /** Path MTU assumed when none is given. */
    public static final int DEFAULT_PATH_MTU = 1500;
    /** Most source addresses a listener tracks at once. */
    public static final int DEFAULT_MAX_LINKS = 4096;
    static final long EVICT_IDLE_NANOS = 30_000_000_000L;
    static final long EVICT_SCAN_INTERVAL_NANOS = 1_000_000_000L;
    private static final long JOIN_MILLIS = 5000;
    private static final Logger log = LoggerFactory.getLogger(RawIpTransport.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetAddress local;
    private final InetAddress remote;
    private final int protocol;
    private final boolean ipv6;
    private final int maxFrameSize;
    private final int maxLinks;
    private final String threadName;
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private FrameSink sink;
    private RawSocket socket;
    private Thread receiver;
    /** Connecting side: the one link. */
    private RawIpLink link;
    /** Listening side: links by source address; receiver thread only. */
    private LinkTable table;
    private long lastEvictionScan;

    // Receiver-thread counters (single writer, volatile for readers).
    private volatile long framesReceived;
    private volatile long bytesReceived;
    private volatile long droppedMalformed;
    private volatile long droppedWrongProtocol;
    private volatile long droppedEmpty;
    private volatile long receiveErrors;
    private volatile long sinkErrors;
    private volatile long linksRefused;
    private volatile long linksEvicted;
    private volatile int linkCount;
    // Sender counters (any thread).
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong framesRefused = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();

    private RawIpTransport(InetAddress local, InetAddress remote, int protocol, int pathMtu, int maxLinks) {
        this.local = local;
        this.remote = remote;
        this.protocol = ProtocolNumbers.check(protocol);
        this.ipv6 = local instanceof Inet6Address;
        int minMtu = ipv6 ? 1280 : 68;
        if (pathMtu < minMtu || pathMtu > 65535) {
            throw new IllegalArgumentException("path MTU " + pathMtu + " outside " + minMtu + "..65535");
        }
        this.maxFrameSize = pathMtu - ipHeaderBytes(ipv6);
        this.maxLinks = maxLinks;
        String peer = remote != null ? "-" + remote.getHostAddress() : "-listen";
        this.threadName = "mp-rawip-" + IDS.incrementAndGet() + peer;
    }

    /**
     * A transport for one path (local portal), with the default path MTU of {@value #DEFAULT_PATH_MTU}. Nothing
     * happens until {@link #start}.
     *
     * @param local the path's local address (the socket is bound to it; the wildcard address lets routing choose)
     * @param remote the remote portal's address, same family as {@code local}
     * @param protocol IP protocol number, normally {@value #DEFAULT_PROTOCOL} or 254
     * @throws IllegalArgumentException if the families differ, remote is a wildcard, or the protocol is refused
     *     (outside 0..255 or used by a real protocol such as 6 TCP or 17 UDP)
     */
    public static RawIpTransport connect(InetAddress local, InetAddress remote, int protocol) {
        return connect(local, remote, protocol, DEFAULT_PATH_MTU);
    }

    /** As {@link #connect(InetAddress, InetAddress, int)}, with the path MTU (68..65535; 1280.. for IPv6). */
    public static RawIpTransport connect(InetAddress local, InetAddress remote, int protocol, int pathMtu) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        if ((local instanceof Inet6Address) != (remote instanceof Inet6Address)) {
            throw new IllegalArgumentException("raw IP path mixes address families: local " + local.getHostAddress()
                    + ", remote " + remote.getHostAddress());
        }
        if (remote.isAnyLocalAddress()) {
            throw new IllegalArgumentException("raw IP remote address " + remote.getHostAddress() + " is a wildcard");
        }
        return new RawIpTransport(local, remote, protocol, pathMtu, 1);
    }

    /**
     * A listening transport (remote portal) with the default path MTU and link table size. The socket is opened in
     * {@link #start}, in the calling thread's network namespace.
     *
     * @param bind the address to receive on; a wildcard receives on every address, but replies then leave with
     *     whatever source address routing picks, so bind the portal's public address
     * @param protocol IP protocol number, normally {@value #DEFAULT_PROTOCOL} or 254 (refused as for connect)
     */
    public static RawIpTransport listen(InetAddress bind, int protocol) {
        return listen(bind, protocol, DEFAULT_PATH_MTU, DEFAULT_MAX_LINKS);
    }

    /** As {@link #listen(InetAddress, int)}, with the path MTU and the most source addresses tracked (1..1048576). */
    public static RawIpTransport listen(InetAddress bind, int protocol, int pathMtu, int maxLinks) {
        Objects.requireNonNull(bind, "bind");
        if (maxLinks < 1 || maxLinks > (1 << 20)) {
            throw new IllegalArgumentException("raw IP link table size " + maxLinks + " outside 1..1048576");
        }
        return new RawIpTransport(bind, null, protocol, pathMtu, maxLinks);
    }

    /**
     * Opens the raw socket (in the calling thread's network namespace) and starts the receive thread. On the
     * connecting side the link is reported up before this returns.
     *
     * @throws IOException one line: "raw IP transport needs root or CAP_NET_RAW", address not local, ...
     * @throws IllegalStateException if called twice or after close
     */
    @Override
    public void start(FrameSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        synchronized (lifecycle) {
            if (this.sink != null || closed) {
                throw new IllegalStateException("raw IP transport already started or closed");
            }
            RawSocket s = RawSocket.open(local, remote, protocol, maxFrameSize);
            this.sink = sink;
            this.socket = s;
            if (remote != null) {
                link = new RawIpLink(this, s, protocol, remote, 0, 0, maxFrameSize, System.nanoTime());
                linkCount = 1;
                log.info("raw IP path {} -> {} (protocol {}) up", local.getHostAddress(), remote.getHostAddress(),
                        protocol);
                sink.onLinkUp(link);
            } else {
                table = new LinkTable(maxLinks);
                log.info("raw IP transport listening on {} (protocol {})", local.getHostAddress(), protocol);
            }
            Thread t = new Thread(this::receiveLoop, threadName);
            t.setDaemon(true);
            receiver = t;
            t.start();
        }
    }

    private void receiveLoop() {
        RawSocket s = socket;
        ByteBuffer buf = s.receiveBuffer();
        ByteBuffer view = buf.duplicate(); // handed to the sink; its position and limit are reset per datagram
        while (true) {
            int n = s.receive();
            if (n == RawSocket.CLOSED) {
                return;
            }
            if (n == RawSocket.ERROR) {
                receiveErrors++;
                int e = s.lastReceiveErrno();
                if (e == LinuxConstants.EBADF || e == LinuxConstants.ENOTSOCK || e == LinuxConstants.EFAULT
                        || e == LinuxConstants.EINVAL) {
                    log.error("raw IP receive on {} failed for good: {}; receiver stops", local.getHostAddress(),
                            s.describeErrno(e));
                    return;
                }
                // ICMP errors on a connected socket (port/protocol unreachable) arrive here once each: keep going.
                log.debug("raw IP receive error: {}", s.describeErrno(e));
                continue;
            }
            long bounds = frameBounds(ipv6, buf, n, protocol);
            if (bounds < 0) {
                if (bounds == Ipv4Header.WRONG_PROTOCOL) {
                    droppedWrongProtocol++;
                } else {
                    droppedMalformed++;
                }
                continue;
            }
            int off = (int) (bounds >>> 32);
            int end = (int) bounds;
            if (end == off) {
                droppedEmpty++;
                continue;
            }
            RawIpLink l = link != null ? link : linkForSource(s);
            if (l == null) {
                continue;
            }
            framesReceived++;
            bytesReceived += end - off;
            view.clear();
            view.position(off).limit(end);
            try {
                sink.onFrame(l, view);
            } catch (RuntimeException e) {
                // The sink's bug must not kill the path.
                sinkErrors++;
                log.warn("frame sink threw on raw IP link {}", l.remoteDescription(), e);
            }
        }
    }

    /**
     * Where the frame lies in a datagram of {@code n} bytes (0..{@code buf}'s capacity) just read from a raw socket of
     * the given family: {@code start << 32 | end}, or a negative {@link Ipv4Header} reason. An IPv4 raw socket returns
     * the IP header (options included) too: it is checked and stripped, and the frame ends at its total length. An
     * IPv6 raw socket returns only the payload (the kernel has already removed the fixed header and any extension
     * headers), so all {@code n} bytes are the frame, whatever its first bytes look like. Pure; allocates nothing.
     */
    static long frameBounds(boolean ipv6, ByteBuffer buf, int n, int protocol) {
        if (ipv6) {
            return n;
        }
        int start = Ipv4Header.payloadOffset(buf, n, protocol);
        if (start < 0) {
            return start;
        }
        return ((long) start << 32) | Ipv4Header.totalLength(buf);
    }

    /** Listening side: the link for the last datagram's source, created if new; null if refused. */
    private RawIpLink linkForSource(RawSocket s) {
        ByteBuffer sa = s.sourceAddress();
        if (SockAddr.family(sa) != (ipv6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET)) {
            droppedMalformed++;
            return null;
        }
        long hi = SockAddr.keyHi(sa, ipv6);
        long lo = SockAddr.keyLo(sa, ipv6);
        long now = System.nanoTime();
        RawIpLink l = table.get(hi, lo);
        if (l == null) {
            if (table.isFull() && !evictIdlest(now)) {
                linksRefused++;
                return null;
            }
            l = new RawIpLink(this, s, protocol, SockAddr.address(sa, ipv6), hi, lo, maxFrameSize, now);
            table.add(l);
            linkCount = table.size();
            log.debug("raw IP link {} up", l.remoteDescription());
            sink.onLinkUp(l);
        }
        l.lastSeenNanos = now;
        return l;
    }

    /** Frees one slot by evicting the link silent longest, if silent long enough; rate-limited. */
    private boolean evictIdlest(long now) {
        if (now - lastEvictionScan < EVICT_SCAN_INTERVAL_NANOS && lastEvictionScan != 0) {
            return false;
        }
        lastEvictionScan = now;
        RawIpLink victim = table.idlest(now, EVICT_IDLE_NANOS);
        if (victim == null) {
            return false;
        }
        table.remove(victim);
        victim.markDown();
        linksEvicted++;
        linkCount = table.size();
        log.info("raw IP link {} evicted (table of {} full, silent longest)", victim.remoteDescription(), maxLinks);
        sink.onLinkDown(victim);
        return true;
    }

    @Override
    public String kind() {
        return "rawip";
    }

    /** 20 bytes (the IPv4 header) or 40 (IPv6): the only bytes added to a frame. */
    @Override
    public int wireOverhead() {
        return ipHeaderBytes(ipv6);
    }

    static int ipHeaderBytes(boolean ipv6) {
        return ipv6 ? 40 : 20;
    }

    /** The largest frame a link carries: the path MTU minus the IP header (1480 / 1460 by default). */
    public int maxFrameSize() {
        return maxFrameSize;
    }

    /** The IP protocol number carried in every datagram. */
    public int protocol() {
        return protocol;
    }

    /** Links currently held: 1 on the connecting side once started, the table size on the listening side. */
    public int linkCount() {
        return linkCount;
    }

    /** Frames delivered to the sink. */
    public long framesReceived() {
        return framesReceived;
    }

    /** Bytes delivered to the sink. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Datagrams dropped as truncated or malformed (bad IPv4 header, wrong family). */
    public long droppedMalformed() {
        return droppedMalformed;
    }

    /** IPv4 datagrams whose header named another protocol (normally filtered by the kernel already). */
    public long droppedWrongProtocol() {
        return droppedWrongProtocol;
    }

    /** Datagrams with no payload. */
    public long droppedEmpty() {
        return droppedEmpty;
    }

    /** Failed receives (ICMP errors reported on the socket, for example). */
    public long receiveErrors() {
        return receiveErrors;
    }

    /** Exceptions thrown by the sink (caught, the frame dropped). */
    public long sinkErrors() {
        return sinkErrors;
    }

    /** New source addresses refused because the link table was full (listening side). */
    public long linksRefused() {
        return linksRefused;
    }

    /** Links evicted from a full table after 30 s of silence (listening side). */
    public long linksEvicted() {
        return linksEvicted;
    }

    /** Frames handed to the kernel. */
    public long framesSent() {
        return framesSent.get();
    }

    /** Bytes of frames handed to the kernel. */
    public long bytesSent() {
        return bytesSent.get();
    }

    /** Frames refused by send(): empty, larger than {@link #maxFrameSize()}, or larger than the path MTU. */
    public long framesRefused() {
        return framesRefused.get();
    }

    /** Frames the kernel refused for another reason (no route, pending ICMP error, queue full). */
    public long sendErrors() {
        return sendErrors.get();
    }

    void countSent(int bytes) {
        framesSent.incrementAndGet();
        bytesSent.addAndGet(bytes);
    }

    void countRefused() {
        framesRefused.incrementAndGet();
    }

    void countSendError(RawSocket s) {
        if (sendErrors.incrementAndGet() == 1) {
            log.warn("raw IP send failed: {} (further failures counted only)", s.describeErrno(s.lastSendErrno()));
        }
    }

    /**
     * Wakes and joins the receive thread, closes the descriptors, and reports every link down. Idempotent; waits
     * at most a few seconds (a sink blocked forever cannot be forced).
     */
    @Override
    public void close() throws IOException {
        Thread t;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            t = receiver;
        }
        if (socket == null) {
            return; // never started
        }
        socket.close();
        boolean joined = true;
        if (t != null) {
            try {
                t.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            joined = !t.isAlive();
        }
        if (link != null) {
            link.markDown();
            sink.onLinkDown(link);
        } else if (joined) {
            table.forEach(l -> {
                l.markDown();
                sink.onLinkDown(l);
            });
        } else {
            log.warn("raw IP receive thread {} did not stop within {} ms", t.getName(), JOIN_MILLIS);
        }
        log.info("raw IP transport on {} (protocol {}) closed", local.getHostAddress(), protocol);
    }

    /** The receive thread's name (for diagnostics and leak tests). */
    String threadName() {
        return threadName;
    }

    @Override
    public String toString() {
        return "RawIpTransport[" + local.getHostAddress() + (remote != null ? " -> " + remote.getHostAddress()
                : " listening") + ", protocol " + protocol + "]";
    }
}
