package dev.multipath.transport.tcp;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries frames over TCP, one connection per path, each frame preceded by its length as 2 bytes big-endian.
 *
 * <p>Two roles:
 * <ul>
 *   <li>{@link #connect}: the local portal's side of one path. Binds to the path's local address, connects to the
 *       remote portal (timeout {@value #CONNECT_TIMEOUT_MILLIS} ms) and reports exactly one link. When the connection
 *       is lost the link goes down and the transport reconnects with exponential backoff (100 ms doubling to 5 s,
 *       back to 100 ms after a success), reporting the same link up again.</li>
 *   <li>{@link #listen}: the remote portal's side. Every accepted connection is a new link, up on accept and down
 *       when the connection dies. A peer sending an invalid length is disconnected and counted
 *       ({@link #badLengthDisconnects()}).</li>
 * </ul>
 *
 * <p>Threads: one platform thread per connection receives (reading into one reused buffer and calling
 * {@link FrameSink#onFrame} once per frame, allocating nothing per frame); on the listening side one more thread
 * accepts. Sending happens on the caller's thread in {@link dev.multipath.api.Link#send}, which blocks while the
 * small socket send buffer (64 KiB, TCP_NODELAY) is full: that back-pressure is how the scheduler sees the path's
 * capacity. {@link #close} stops every thread and closes every socket before it returns.
 *
 * <p>No keepalive: the engine probes paths itself.
 */
public final class TcpTransport implements Transport {

    /** How long one connection attempt may take. */
    public static final int CONNECT_TIMEOUT_MILLIS = 3000;
    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5000;
    /** Receive buffer per connection: two maximal frames, so a read can bring several small frames at once. */
    private static final int RECEIVE_BUFFER_BYTES = 2 * (LengthPrefixDecoder.MAX_FRAME + LengthPrefixDecoder.PREFIX);
    private static final long JOIN_MILLIS = 5000;
    private static final Logger log = LoggerFactory.getLogger(TcpTransport.class);
    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final InetSocketAddress bind;
    private final String threadPrefix = "mp-tcp-" + IDS.incrementAndGet() + "-";
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<SocketChannel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicLong badLengthDisconnects = new AtomicLong();
    private final AtomicLong connectionsEstablished = new AtomicLong();
    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private volatile ServerSocketChannel server;
    private FrameSink sink;

    private TcpTransport(InetSocketAddress local, InetSocketAddress remote, InetSocketAddress bind) {
        this.local = local;
        this.remote = remote;
        this.bind = bind;
    }

    /**
     * A connecting transport for one path (local portal). Nothing happens until {@link #start}.
     *
     * @param local the path's local address to bind to (port normally 0), or null to let the kernel choose
     * @param remote the remote portal's listening endpoint
     */
    public static TcpTransport connect(InetSocketAddress local, InetSocketAddress remote) {
        Objects.requireNonNull(remote, "remote");
        return new TcpTransport(local, remote, null);
    }

    /**
     * A listening transport (remote portal). The socket is bound in {@link #start}; with port 0 the chosen port is
     * available from {@link #localAddress()} afterwards.
     */
    public static TcpTransport listen(InetSocketAddress bind) {
        Objects.requireNonNull(bind, "bind");
        return new TcpTransport(null, null, bind);
    }

    /**
     * Binds (listening side) or starts connecting (connecting side) and from then on reports links and frames to
     * {@code sink}. Connection failures on the connecting side are retried, not thrown.
     *
     * @throws IOException if the listening socket cannot be bound
     * @throws IllegalStateException if called twice or after close
     */
    @Override
    public void start(FrameSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        synchronized (lifecycle) {
            if (this.sink != null || closed) {
                throw new IllegalStateException("TCP transport already started or closed");
            }
            this.sink = sink;
            if (bind != null) {
                ServerSocketChannel ssc = ServerSocketChannel.open();
                try {
                    // Lets a restarted portal bind again while old connections sit in TIME_WAIT.
                    ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ssc.bind(bind);
                } catch (IOException e) {
                    TcpLink.closeQuietly(ssc);
                    throw new IOException("cannot listen on TCP " + describe(bind) + ": " + e.getMessage(), e);
                }
                server = ssc;
                log.info("TCP transport listening on {}", describe((InetSocketAddress) ssc.getLocalAddress()));
                spawn("accept", this::acceptLoop);
            } else {
                spawn("connect-" + describe(remote), this::connectLoop);
            }
        }
    }

    @Override
    public String kind() {
        return "tcp";
    }

    /**
     * 42 bytes: a 20-byte IPv4 header, a 20-byte TCP header and the 2-byte length prefix. Approximate: TCP options
     * (timestamps add 12 bytes) and IPv6 (20 more) are not counted, and TCP may pack several frames in one segment.
     */
    @Override
    public int wireOverhead() {
        return 40 + LengthPrefixDecoder.PREFIX;
    }

    /** The largest frame a link of this transport carries: 65535 bytes, the most a 2-byte prefix can announce. */
    public int maxFrameSize() {
        return LengthPrefixDecoder.MAX_FRAME;
    }

    /** The listening socket's address (useful with port 0), or null before {@link #start} or on the connecting side. */
    public InetSocketAddress localAddress() {
        ServerSocketChannel ssc = server;
        try {
            return ssc == null ? null : (InetSocketAddress) ssc.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Connections dropped because the peer sent an invalid length prefix. */
    public long badLengthDisconnects() {
        return badLengthDisconnects.get();
    }

    /** Connections that came up (accepted or connected) since start. */
    public long connectionsEstablished() {
        return connectionsEstablished.get();
    }

    /**
     * Stops all threads and closes all sockets; links that were up are reported down. Idempotent; waits up to a
     * few seconds per thread (threads blocked in the sink cannot be forced).
     */
    @Override
    public void close() throws IOException {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        TcpLink.closeQuietly(server);
        for (SocketChannel ch : channels) {
            TcpLink.closeQuietly(ch);
        }
        for (Thread t : new ArrayList<>(threads)) {
            t.interrupt();
        }
        // Repeat: the acceptor may have spawned a connection thread just before it saw the close.
        long deadline = System.nanoTime() + JOIN_MILLIS * 1_000_000L;
        while (!threads.isEmpty() && System.nanoTime() < deadline) {
            for (Thread t : new ArrayList<>(threads)) {
                t.interrupt();
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        for (Thread t : threads) {
            log.warn("TCP transport thread {} did not stop within {} ms", t.getName(), JOIN_MILLIS);
        }
    }

    // ---- connecting side ----

    private void connectLoop() {
        TcpLink link = new TcpLink(describe(remote));
        LengthPrefixDecoder decoder = new LengthPrefixDecoder(RECEIVE_BUFFER_BYTES);
        Backoff backoff = new Backoff(INITIAL_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS);
        boolean failing = false;
        while (!closed) {
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                if (!register(ch)) {
                    return;
                }
                if (local != null) {
                    ch.bind(local);
                }
                SocketSetup.configure(ch);
                ch.socket().connect(remote, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                unregisterAndClose(ch);
                if (closed) {
                    return;
                }
                long delay = backoff.nextDelayMillis();
                if (!failing) {
                    log.warn("TCP path to {} failed to connect ({}); retrying with backoff", describe(remote), e.toString());
                    failing = true;
                } else {
                    log.debug("TCP path to {} connect failed ({}); retry in {} ms", describe(remote), e, delay);
                }
                if (!sleep(delay)) {
                    return;
                }
                continue;
            }
            failing = false;
            backoff.reset();
            decoder.reset();
            connectionsEstablished.incrementAndGet();
            serve(ch, link, decoder);
            if (!closed && !sleep(backoff.nextDelayMillis())) {
                return;
            }
        }
    }

    // ---- listening side ----

    private void acceptLoop() {
        ServerSocketChannel ssc = server;
        while (!closed) {
            SocketChannel ch;
            try {
                ch = ssc.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // For example EMFILE: keep serving, but do not spin.
                log.warn("TCP accept on {} failed: {}", describe(bind), e.toString());
                if (!sleep(INITIAL_BACKOFF_MILLIS)) {
                    return;
                }
                continue;
            }
            if (!register(ch)) {
                return;
            }
            String peer;
            try {
                SocketSetup.configure(ch);
                peer = describe((InetSocketAddress) ch.getRemoteAddress());
            } catch (IOException e) {
                unregisterAndClose(ch);
                continue;
            }
            connectionsEstablished.incrementAndGet();
            spawn("conn-" + peer, () -> {
                TcpLink link = new TcpLink(peer);
                serve(ch, link, new LengthPrefixDecoder(RECEIVE_BUFFER_BYTES));
            });
        }
    }

    // ---- shared ----

    /** One connection's life: link up, receive until it ends, link down. Closes the channel. */
    private ConnectionReader.End serve(SocketChannel ch, TcpLink link, LengthPrefixDecoder decoder) {
        link.attach(ch);
        log.info("TCP link {} up", link.remoteDescription());
        sink.onLinkUp(link);
        ConnectionReader.End end = ConnectionReader.run(ch, decoder, link, sink);
        link.detachIfCurrent(ch);
        unregisterAndClose(ch);
        if (end == ConnectionReader.End.BAD_LENGTH) {
            // Counted before the link is reported down, so whoever hears "down" sees the count.
            badLengthDisconnects.incrementAndGet();
            log.warn("TCP link {} sent an invalid frame length; disconnected", link.remoteDescription());
        } else {
            log.info("TCP link {} down ({})", link.remoteDescription(), closed ? "transport closed" : end);
        }
        sink.onLinkDown(link);
        return end;
    }

    /** Tracks a channel for close(); false (and the channel closed) if the transport is already closed. */
    private boolean register(SocketChannel ch) {
        channels.add(ch);
        // close() sets the flag before walking the set, so either it sees this channel or we see the flag.
        if (closed) {
            unregisterAndClose(ch);
            return false;
        }
        return true;
    }

    private void unregisterAndClose(SocketChannel ch) {
        if (ch != null) {
            channels.remove(ch);
            TcpLink.closeQuietly(ch);
        }
    }

    private void spawn(String what, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, threadPrefix + what);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Sleeps; false if interrupted or closed (time to exit). */
    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** The thread-name prefix of this transport's threads (for diagnostics and leak tests). */
    String threadPrefix() {
        return threadPrefix;
    }

    static String describe(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
