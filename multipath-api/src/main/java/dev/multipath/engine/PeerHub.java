package dev.multipath.engine;

import dev.multipath.api.DropReason;
import dev.multipath.api.FrameSink;
import dev.multipath.api.IpPrefix;
import dev.multipath.api.Link;
import dev.multipath.api.PacketSource;
import dev.multipath.api.Transport;
import dev.multipath.auth.AuthSettings;
import dev.multipath.auth.NoiseIkAuthenticator;
import dev.multipath.auth.NoiseIkResponder;
import dev.multipath.auth.SessionIndexTable;
import dev.multipath.auth.StaticKeys;
import dev.multipath.buffer.Packet;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import dev.multipath.peer.PrefixTable;
import dev.multipath.stats.DropCounters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote portal serving many local portals ("peers"), WireGuard style. Each peer has its own {@link PortalCore}
 * and {@link PortalRuntime} (its own session and authenticator, paths keyed by path id, scheduler and queues, flow
 * numbering, reorder buffer, sender and writer threads); the peers share the listening transports, the packet pool
 * and the packet source (TUN).
 *
 * <p>Demultiplexing costs no crypto attempt per peer: a data or control frame goes to the peer whose session owns
 * the receiver index in its header ({@link SessionIndexTable}, one array read); a handshake initiation goes to the
 * peer whose static key it carries, recovered once by {@link NoiseIkResponder}; an unknown key or index is dropped
 * and answered with nothing.
 *
 * <p>Cryptokey routing: a packet read from the source goes to the peer whose allowed IPs contain its destination
 * (longest prefix), else it is dropped as {@link DropReason#NO_ROUTE}; a packet from a peer whose source address does
 * not route back to that same peer is dropped as {@link DropReason#SOURCE_NOT_ALLOWED}.
 *
 * <p>Threading: one source reader thread here; the transports' receive threads call the demultiplexer; everything
 * else runs in the peers' runtimes. {@link #addPeer} and {@link #removePeer} may be called from any thread at any
 * time (copy-on-write tables, published through volatile fields) and touch no other peer.
 */
public final class PeerHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PeerHub.class);
    /** Initiations per second, over all peers, that may cost a Diffie-Hellman before their peer is known. */
    private static final double SHARED_INITIATIONS_PER_SECOND = 200;

    /** Builds a peer's runtime around the authenticator the hub made for it (a not yet started runtime). */
    @FunctionalInterface
    public interface PeerRuntimeFactory {
        /**
         * @param name   the peer's name
         * @param auth   the peer's authenticator (responder for the peer's key, indices from the hub's table)
         * @param filter the source-address check for the peer's core
         * @return a runtime built with {@code ownsSource = false} and no transports
         */
        PortalRuntime create(String name, NoiseIkAuthenticator auth, SourceFilter filter);
    }

    /** One peer: its configuration and its running parts. */
    public static final class Peer {
        private final String name;
        private final byte[] publicKey;
        private final List<IpPrefix> allowedIps;
        private final NoiseIkAuthenticator authenticator;
        private PortalRuntime runtime;
        private FrameSink sink;

        private Peer(String name, byte[] publicKey, List<IpPrefix> allowedIps, NoiseIkAuthenticator authenticator) {
            this.name = name;
            this.publicKey = publicKey.clone();
            this.allowedIps = List.copyOf(allowedIps);
            this.authenticator = authenticator;
        }

        public String name() {
            return name;
        }

        public byte[] publicKey() {
            return publicKey.clone();
        }

        public List<IpPrefix> allowedIps() {
            return allowedIps;
        }

        public PortalCore core() {
            return runtime.core();
        }

        public PortalRuntime runtime() {
            return runtime;
        }
    }

    private final PacketSource source;
    private final PacketPool pool;
    private final List<Transport> listeners;
    private final byte[] privateKey;
    private final AuthSettings settings;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final PeerRuntimeFactory factory;
    private final NoiseIkResponder responder;
    private final SessionIndexTable indices = new SessionIndexTable();
    private final DropCounters drops = new DropCounters();
    private volatile PrefixTable<Peer> routes = PrefixTable.empty();
    private volatile Map<String, Peer> byKey = Map.of();
    private volatile List<Peer> peers = List.of();
    private final java.util.concurrent.atomic.AtomicLong packetsFromSource = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean running;
    private volatile boolean closed;
    private Thread reader;

    /**
     * @param source     the shared packet source; the hub reads it and closes it
     * @param pool       the shared packet pool
     * @param listeners  the listening transports; the hub starts and closes them
     * @param privateKey this portal's static private key (copied)
     * @param settings   the authenticators' settings (every peer gets its own authenticator with them)
     */
    public PeerHub(PacketSource source, PacketPool pool, List<Transport> listeners, byte[] privateKey,
            AuthSettings settings, Clock wallClock, LongSupplier nanoClock, PeerRuntimeFactory factory) {
        this.source = source;
        this.pool = pool;
        this.listeners = List.copyOf(listeners);
        this.privateKey = privateKey.clone();
        this.settings = settings;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.factory = factory;
        this.responder = new NoiseIkResponder(privateKey, settings, SHARED_INITIATIONS_PER_SECOND);
    }

    /**
     * Adds a peer (and starts it if the hub runs). Its prefixes take over any equal prefix of another peer.
     *
     * @throws IllegalArgumentException if the name or key is already a peer's, or the key is unusable
     */
    public synchronized Peer addPeer(String name, byte[] publicKey, List<IpPrefix> allowedIps) throws IOException {
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
        String key = StaticKeys.encode(publicKey);
        if (byKey.containsKey(key)) {
            throw new IllegalArgumentException("peer key " + key + " is already configured (" + byKey.get(key).name
                    + ")");
        }
        for (Peer p : peers) {
            if (p.name.equals(name)) {
                throw new IllegalArgumentException("duplicate peer name '" + name + "'");
            }
        }
        NoiseIkAuthenticator auth = new NoiseIkAuthenticator(dev.multipath.api.Role.REMOTE, privateKey, publicKey,
                settings, wallClock, nanoClock);
        Peer peer = new Peer(name, publicKey, allowedIps, auth);
        auth.useIndexTable(indices, peer);
        // The check reads the current table: a packet from this peer must route back to this peer.
        SourceFilter filter = (d, off, len) -> routes.forSource(d, off, len) == peer;
        peer.runtime = factory.create(name, auth, filter);
        peer.sink = peer.runtime.frameSink();
        if (running) {
            peer.runtime.start();
        }
        routes = routes.with(peer, allowedIps);
        Map<String, Peer> keys = new HashMap<>(byKey);
        keys.put(key, peer);
        byKey = Map.copyOf(keys);
        List<Peer> list = new ArrayList<>(peers);
        list.add(peer);
        peers = List.copyOf(list);
        LOG.info("peer {} added ({}, allowed {})", name, key, allowedIps);
        return peer;
    }

    /**
     * Removes a peer: its routes and session indices go at once, then its threads stop. Other peers are not touched.
     *
     * @return whether a peer of that name existed
     */
    public synchronized boolean removePeer(String name) {
        Peer peer = null;
        for (Peer p : peers) {
            if (p.name.equals(name)) {
                peer = p;
            }
        }
        if (peer == null) {
            return false;
        }
        List<Peer> list = new ArrayList<>(peers);
        list.remove(peer);
        peers = List.copyOf(list);
        Map<String, Peer> keys = new HashMap<>(byKey);
        keys.remove(StaticKeys.encode(peer.publicKey));
        byKey = Map.copyOf(keys);
        routes = routes.without(peer);
        indices.releaseAll(peer);
        peer.runtime.close();
        LOG.info("peer {} removed", name);
        return true;
    }

    /** The peers, in the order added. */
    public List<Peer> peers() {
        return peers;
    }

    /** The peer owning receiver index {@code index}, or null (for tests and status). */
    Peer peerForIndex(int index) {
        Object owner = indices.owner(index);
        return owner instanceof Peer ? (Peer) owner : null;
    }

    /** The current routing table (allowed IPs of every peer). */
    PrefixTable<Peer> routes() {
        return routes;
    }

    /** Drops counted before a packet or frame was attributed to a peer (no route, unknown index or key). */
    public DropCounters drops() {
        return drops;
    }

    /** Packets read from the shared source. */
    public long packetsFromSource() {
        return packetsFromSource.get();
    }

    public void start() throws IOException {
        running = true;
        for (Peer p : peers) {
            p.runtime.start();
        }
        reader = new Thread(this::readLoop, "mp-source-read");
        reader.setDaemon(true);
        reader.start();
        try {
            for (Transport t : listeners) {
                t.start(new Demultiplexer());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void readLoop() {
        while (running) {
            Packet p = pool.acquire();
            if (p == null) {
                drops.increment(DropReason.QUEUE_FULL);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            int n;
            try {
                n = source.read(p.payloadForRead());
            } catch (IOException e) {
                pool.release(p);
                if (running) {
                    LOG.error("packet source {} failed: {}", source.name(), e.getMessage());
                }
                return;
            }
            if (n <= 0) {
                pool.release(p);
                if (n < 0) {
                    return;
                }
                continue;
            }
            packetsFromSource.incrementAndGet();
            p.setLength(n);
            p.setTimeNanos(System.nanoTime());
            Peer peer = routes.forDestination(p.data(), Packet.PAYLOAD_OFFSET, n);
            if (peer == null) {
                drops.increment(DropReason.NO_ROUTE);
                pool.release(p);
            } else if (!peer.runtime.offerFromSource(p)) {
                pool.release(p);
            }
        }
    }

    /** Finds each frame's peer by receiver index, each initiation's peer by static key. */
    private final class Demultiplexer implements FrameSink {
        @Override
        public void onFrame(Link link, ByteBuffer frame) {
            int at = frame.position();
            int len = frame.remaining();
            if (len < FrameHeader.LENGTH) {
                drops.increment(DropReason.MALFORMED);
                return;
            }
            FrameType type = FrameType.ofCode((frame.get(at) >> 1) & 0x1f);
            if (type == FrameType.HANDSHAKE_INIT) {
                onInitiation(link, frame);
                return;
            }
            int index = ((frame.get(at + 2) & 0xff) << 8) | (frame.get(at + 3) & 0xff);
            Object owner = indices.owner(index);
            if (owner instanceof Peer) {
                ((Peer) owner).sink.onFrame(link, frame);
            } else {
                drops.increment(type == null ? DropReason.MALFORMED : DropReason.NO_SESSION);
            }
        }

        private void onInitiation(Link link, ByteBuffer frame) {
            Packet p = pool.acquire();
            if (p == null) {
                drops.increment(DropReason.RECEIVE_QUEUE_FULL);
                return;
            }
            try {
                int len = frame.remaining();
                if (len > p.data().length) {
                    drops.increment(DropReason.MALFORMED);
                    return;
                }
                frame.get(p.data(), 0, len);
                long now = nanoClock.getAsLong();
                // A link one of our peers' paths is bound to has carried authenticated frames: a proven source,
                // whose initiations (rekeys) a flood from new addresses cannot crowd out.
                NoiseIkResponder.Initiation init = responder.identify(p.data(), 0, len, now,
                        isBoundToAPeer(link) ? link : null);
                Peer peer = init == null ? null : byKey.get(StaticKeys.encode(init.initiatorStatic()));
                if (peer == null) {
                    drops.increment(DropReason.HANDSHAKE_REJECTED); // bad mac1, rate, or not a peer: no answer
                    return;
                }
                int n = peer.authenticator.respond(init, p.data(), 0, now);
                if (n < 0) {
                    peer.core().drops().increment(dev.multipath.api.Authenticator.dropReason(n));
                    return;
                }
                link.send(p.frame(n));
            } catch (IOException e) {
                LOG.debug("handshake reply failed: {}", e.toString());
            } finally {
                pool.release(p);
            }
        }

        private boolean isBoundToAPeer(Link link) {
            for (Peer peer : peers) {
                if (peer.core().isBound(link)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void onLinkUp(Link link) {
            // A remote portal learns paths from authenticated frames only.
        }

        @Override
        public void onLinkDown(Link link) {
            for (Peer p : peers) {
                p.sink.onLinkDown(link);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        running = false;
        for (Transport t : listeners) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing transport {} failed: {}", t.kind(), e.toString());
            }
        }
        try {
            source.close();
        } catch (IOException e) {
            LOG.warn("closing packet source failed: {}", e.toString());
        }
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Peer p : peers) {
            p.runtime.close();
        }
    }
}
