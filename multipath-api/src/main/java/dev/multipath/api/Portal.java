package dev.multipath.api;

import dev.multipath.auth.PassThroughAuthenticator;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.engine.ControlOutput;
import dev.multipath.engine.EnginePath;
import dev.multipath.engine.PacketPool;
import dev.multipath.engine.PortalCore;
import dev.multipath.engine.PortalRuntime;
import dev.multipath.frame.FrameHeader;
import dev.multipath.sched.GreedyScheduler;
import dev.multipath.stats.DropCounters;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One end of the multi-path tunnel, assembled from a {@link PacketSource}, {@link Transport}s, a {@link Scheduler}
 * and an {@link Authenticator}:
 *
 * <pre>{@code
 * Portal portal = Portal.builder()
 *         .role(Role.LOCAL)
 *         .packetSource(TunDevice.open("mp0", 1400))
 *         .path("dsl", 0, TcpTransport.connect(dslLocal, remoteDsl))
 *         .path("lte", 0, TcpTransport.connect(lteLocal, remoteLte))
 *         .build();
 * portal.start();
 * ...
 * portal.close();
 * }</pre>
 *
 * <p>A remote portal may serve many local portals ("peers", WireGuard style): give it its key with
 * {@link Builder#peers(byte[], dev.multipath.auth.AuthSettings)} and each peer with {@link Builder#peer(PeerSpec)};
 * peers can be added and removed while it runs ({@link #addPeer}, {@link #removePeer}). See
 * {@link dev.multipath.engine.PeerHub}.
 *
 * <p>The portal owns every part given to it: {@link #close()} closes the transports and the packet source.
 * {@link #start()} and {@link #close()} are called once each; {@link #status()} from any thread at any time.
 */
public final class Portal implements Closeable {

    private final Role role;
    private final String sourceName;
    private final PacketSource source;
    private final boolean mssClamp;
    private final PortalCore core;
    private final PortalRuntime runtime;
    /** Non-null on a remote portal serving many peers; core and runtime are then null. */
    private final dev.multipath.engine.PeerHub hub;
    private boolean started;
    private boolean closed;

    private Portal(Builder b) {
        this.role = b.role;
        this.sourceName = b.source.name();
        this.source = b.source;
        this.mssClamp = b.mssClamp;
        if (b.hubKey != null) {
            this.core = null;
            this.runtime = null;
            this.hub = buildHub(b);
            return;
        }
        this.hub = null;
        PacketPool pool = new PacketPool(b.poolSize, Math.max(b.source.mtu(), 1500) + 64);
        PortalRuntime[] rt = new PortalRuntime[1];
        ControlOutput output = new ControlOutput() {
            @Override
            public void send(EnginePath path, dev.multipath.buffer.Packet frame) {
                rt[0].send(path, frame);
            }

            @Override
            public void wake(EnginePath path) {
                rt[0].wake(path);
            }
        };
        int maxFrame = b.source.mtu() + FrameHeader.LENGTH + b.authenticator.tagLength();
        PathControllerConfig cc = PathControllerConfig.defaults().withController(b.congestionControl)
                .withMaxFrameSize(maxFrame);
        this.core = new PortalCore(b.role, b.scheduler, b.authenticator, new DropCounters(),
                path -> rt[0].onNewPath(path), pool, output, cc);
        List<EnginePath> paths = new ArrayList<>();
        List<Transport> transports = new ArrayList<>();
        if (b.role == Role.LOCAL) {
            long now = System.nanoTime();
            for (PathSpec spec : b.paths) {
                EnginePath path = core.addPath(spec.name, spec.metric, now);
                path.setOverflow(spec.overflow);
                paths.add(path);
                transports.add(spec.transport);
            }
        } else {
            transports.addAll(b.listeners);
        }
        core.setRedundancy(b.redundancy);
        core.clampMssTo(b.mssClamp ? b.source.mtu() : 0);
        core.setCapacitySearch(b.capacitySearch ? PortalCore.DEFAULT_CAPACITY_SEARCH_NANOS : 0);
        this.runtime = new PortalRuntime(core, b.source, pool, transports, paths, b.receiveQueueCapacity);
        rt[0] = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A remote portal serving many peers: each peer gets a core and runtime of its own around the shared parts. */
    private static dev.multipath.engine.PeerHub buildHub(Builder b) {
        int peers = Math.max(1, Math.min(16, b.peers.size()));
        PacketPool pool = new PacketPool(b.poolSize * peers, Math.max(b.source.mtu(), 1500) + 64);
        int maxFrame = b.source.mtu() + FrameHeader.LENGTH + dev.multipath.auth.NoiseIkAuthenticator.TAG_LENGTH;
        PathControllerConfig cc = PathControllerConfig.defaults().withController(b.congestionControl)
                .withMaxFrameSize(maxFrame);
        PacketSource source = b.source;
        int queueCapacity = b.queueCapacity;
        java.util.function.Supplier<Scheduler> schedulers = b.schedulerFactory != null ? b.schedulerFactory
                : () -> new GreedyScheduler(queueCapacity);
        RedundancyPolicy redundancy = b.redundancy;
        int receiveQueueCapacity = b.receiveQueueCapacity;
        int clampMtu = b.mssClamp ? source.mtu() : 0;
        long capacitySearch = b.capacitySearch ? PortalCore.DEFAULT_CAPACITY_SEARCH_NANOS : 0;
        dev.multipath.engine.PeerHub hub = new dev.multipath.engine.PeerHub(source, pool, b.listeners, b.hubKey,
                b.hubSettings, java.time.Clock.systemUTC(), System::nanoTime, (name, auth, filter) -> {
                    PortalRuntime[] rt = new PortalRuntime[1];
                    ControlOutput output = new ControlOutput() {
                        @Override
                        public void send(EnginePath path, dev.multipath.buffer.Packet frame) {
                            rt[0].send(path, frame);
                        }

                        @Override
                        public void wake(EnginePath path) {
                            rt[0].wake(path);
                        }
                    };
                    PortalCore core = new PortalCore(Role.REMOTE, schedulers.get(), auth, new DropCounters(),
                            path -> rt[0].onNewPath(path), pool, output, cc);
                    core.setRedundancy(redundancy);
                    core.clampMssTo(clampMtu);
                    core.setCapacitySearch(capacitySearch);
                    core.setSourceFilter(filter);
                    rt[0] = new PortalRuntime(core, source, pool, List.of(), List.of(), receiveQueueCapacity, false);
                    return rt[0];
                });
        for (PeerSpec spec : b.peers) {
            try {
                hub.addPeer(spec.name(), spec.publicKey(), spec.allowedIps());
            } catch (IOException e) {
                throw new IllegalStateException("cannot add peer " + spec.name(), e); // not started: no I/O yet
            }
        }
        return hub;
    }

    /**
     * A remote portal serving many peers: adds one while the others keep running.
     *
     * @throws IllegalStateException    if this portal does not serve many peers
     * @throws IllegalArgumentException if the name or key is already a peer's
     * @throws IOException              if the peer's threads cannot start
     */
    public void addPeer(PeerSpec spec) throws IOException {
        requireHub().addPeer(spec.name(), spec.publicKey(), spec.allowedIps());
    }

    /**
     * A remote portal serving many peers: removes one (its routes, sessions and threads) and touches no other.
     *
     * @return whether a peer of that name existed
     */
    public boolean removePeer(String name) {
        return requireHub().removePeer(name);
    }

    /** The peers of a remote portal serving many, in the order added; empty otherwise. */
    public List<PeerSpec> peers() {
        if (hub == null) {
            return List.of();
        }
        List<PeerSpec> out = new ArrayList<>();
        for (dev.multipath.engine.PeerHub.Peer p : hub.peers()) {
            out.add(new PeerSpec(p.name(), p.publicKey(), p.allowedIps()));
        }
        return out;
    }

    private dev.multipath.engine.PeerHub requireHub() {
        if (hub == null) {
            throw new IllegalStateException("this portal serves one peer: build it with Builder#peers to serve many");
        }
        return hub;
    }

    /** Starts every thread and transport. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("portal already started");
        }
        started = true;
        if (hub != null) {
            hub.start();
        } else {
            runtime.start();
        }
    }

    /** Stops all threads, closes the transports and the packet source. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (hub != null) {
                hub.close();
            } else {
                runtime.close();
            }
        }
    }

    public Role role() {
        return role;
    }

    /** A consistent-enough snapshot of counters and path states. */
    public PortalStatus status() {
        if (hub != null) {
            return hubStatus();
        }
        List<PortalStatus.Path> paths = new ArrayList<>();
        for (EnginePath p : core.paths()) {
            paths.add(p.snapshot());
        }
        return new PortalStatus(role, sourceName, core.packetsFromSource(), core.packetsToSource(),
                core.authenticator().hasSession(), List.copyOf(paths), core.drops().nonZero(),
                runtime.reorderStatus(), List.of(), sourceCounters(mssClamp, core.mssClamped()));
    }

    /** The packet source's counters, and the SYNs whose MSS was clamped on the way in (when clamping is on). */
    private java.util.Map<String, Long> sourceCounters(boolean clamping, long clamped) {
        java.util.Map<String, Long> counters = source.counters();
        if (!clamping) {
            return counters;
        }
        java.util.Map<String, Long> all = new java.util.TreeMap<>(counters);
        all.put("tcpMssClamped", clamped);
        return all;
    }

    /** Every peer's paths (named "peer/path"), drops and counters summed, and one entry per peer. */
    private PortalStatus hubStatus() {
        List<PortalStatus.Path> paths = new ArrayList<>();
        List<PortalStatus.Peer> peers = new ArrayList<>();
        java.util.Map<DropReason, Long> drops = hub.drops().nonZero(); // a fresh EnumMap
        long toSource = 0;
        boolean anySession = false;
        long[] r = new long[7];
        long clamped = 0;
        for (dev.multipath.engine.PeerHub.Peer peer : hub.peers()) {
            PortalCore c = peer.core();
            List<String> names = new ArrayList<>();
            for (EnginePath p : c.paths()) {
                PortalStatus.Path s = p.snapshot();
                paths.add(new PortalStatus.Path(s.id(), peer.name() + "/" + s.name(), s.state(),
                        s.metric(), s.remote(), s.packetsSent(), s.bytesSent(), s.packetsReceived(),
                        s.bytesReceived(), s.downEvents(), s.lastReceiveNanos(), s.rttNanos(),
                        s.rateBytesPerSecond(), s.congestion()));
                names.add(s.name());
            }
            java.util.Map<DropReason, Long> peerDrops = c.drops().nonZero();
            peerDrops.forEach((k, v) -> drops.merge(k, v, Long::sum));
            PortalStatus.Reorder ro = peer.runtime().reorderStatus();
            r[0] += ro.held();
            r[1] += ro.releasedInOrder();
            r[2] += ro.releasedByTimeout();
            r[3] += ro.releasedBySettle();
            r[4] += ro.lateArrivals();
            r[5] += ro.duplicates();
            r[6] = Math.max(r[6], ro.holdBoundNanos());
            boolean session = c.authenticator().hasSession();
            anySession |= session;
            toSource += c.packetsToSource();
            clamped += c.mssClamped();
            List<String> allowed = new ArrayList<>();
            peer.allowedIps().forEach(ip -> allowed.add(ip.toString()));
            peers.add(new PortalStatus.Peer(peer.name(), dev.multipath.auth.StaticKeys.encode(peer.publicKey()),
                    allowed, session, c.packetsFromSource(), c.packetsToSource(), names, peerDrops, ro));
        }
        return new PortalStatus(role, sourceName, hub.packetsFromSource(), toSource, anySession, List.copyOf(paths),
                java.util.Map.copyOf(drops), new PortalStatus.Reorder(r[0], r[1], r[2], r[3], r[4], r[5], r[6]),
                peers, sourceCounters(mssClamp, clamped));
    }

    private record PathSpec(String name, int metric, boolean overflow, Transport transport) {
    }

    /** Collects the parts of a portal; {@link #build()} checks that they fit together. */
    public static final class Builder {
        private Role role = Role.LOCAL;
        private PacketSource source;
        private Scheduler scheduler;
        private Authenticator authenticator = new PassThroughAuthenticator();
        private final List<PathSpec> paths = new ArrayList<>();
        private final List<Transport> listeners = new ArrayList<>();
        private int poolSize = 4096;
        private int receiveQueueCapacity = 1024;
        private int queueCapacity = GreedyScheduler.DEFAULT_CAPACITY;
        private String congestionControl = PathControllerConfig.DEFAULT_CONTROLLER;
        private RedundancyPolicy redundancy = RedundancyPolicy.NONE;
        private byte[] hubKey;
        private dev.multipath.auth.AuthSettings hubSettings;
        private final List<PeerSpec> peers = new ArrayList<>();
        private java.util.function.Supplier<Scheduler> schedulerFactory;
        private boolean mssClamp = true;
        private boolean capacitySearch = true;

        private Builder() {
        }

        /**
         * Remote portal: serve many peers with this static private key (copied) and these authenticator settings;
         * every peer gets its own Noise IK session. Takes the place of {@link #authenticator}.
         */
        public Builder peers(byte[] privateKey, dev.multipath.auth.AuthSettings settings) {
            this.hubKey = Objects.requireNonNull(privateKey, "privateKey").clone();
            this.hubSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Remote portal serving many peers: one peer (call {@link #peers} too). */
        public Builder peer(PeerSpec spec) {
            peers.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * Remote portal serving many peers: makes each peer's scheduler (default: the greedy shared-queue
         * scheduler with {@link #queueCapacity}).
         */
        public Builder schedulerFactory(java.util.function.Supplier<Scheduler> factory) {
            this.schedulerFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        public Builder role(Role role) {
            this.role = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Where packets come from and go to (a TUN device). Required. */
        public Builder packetSource(PacketSource source) {
            this.source = Objects.requireNonNull(source, "packetSource");
            return this;
        }

        /** The scheduler; default: the greedy shared-queue scheduler. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /** The authenticator; default: pass-through (no security, for tests only). */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Local portal: adds a path (in order: the first is path id 0). */
        public Builder path(String name, int metric, Transport transport) {
            return path(name, metric, false, transport);
        }

        /**
         * Local portal: adds a path; with {@code overflow} it also takes traffic while lower-metric paths are usable
         * but saturated.
         */
        public Builder path(String name, int metric, boolean overflow, Transport transport) {
            if (metric < 0 || metric > 255) {
                throw new IllegalArgumentException("metric must be 0..255, was " + metric);
            }
            paths.add(new PathSpec(Objects.requireNonNull(name, "name"), metric, overflow,
                    Objects.requireNonNull(transport, "transport")));
            return this;
        }

        /** Which packets are sent on every usable path at once (redundant mode); default none. */
        public Builder redundancy(RedundancyPolicy policy) {
            this.redundancy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Local portal: adds paths named path0, path1, ... with metric 0. */
        public Builder transports(Transport... transports) {
            for (Transport t : transports) {
                path("path" + paths.size(), 0, t);
            }
            return this;
        }

        /** Remote portal: a listening transport on which paths arrive. */
        public Builder listener(Transport transport) {
            listeners.add(Objects.requireNonNull(transport, "transport"));
            return this;
        }

        /**
         * Congestion controller of datagram paths (UDP, raw IP): "bbr" (default) or "cubic". TCP paths are paced by
         * the kernel's TCP instead.
         */
        public Builder congestionControl(String name) {
            if (!dev.multipath.cc.CongestionControllers.isKnown(name)) {
                throw new IllegalArgumentException("unknown congestion controller '" + name + "'");
            }
            this.congestionControl = name;
            return this;
        }

        /** Packets the send queue holds before tail drop (default 256). */
        public Builder queueCapacity(int packets) {
            this.queueCapacity = packets;
            return this;
        }

        /**
         * Whether TCP SYNs read from the packet source get their MSS option lowered to what fits the source's MTU
         * (default true), so a connection's first segments are not refused by the tunnel and resent smaller (see
         * {@code dev.multipath.frame.MssClamp}). Turn it off only where the hosts' own MTU already fits the tunnel.
         */
        public Builder mssClamp(boolean clamp) {
            this.mssClamp = clamp;
            return this;
        }

        /**
         * Whether a datagram path whose congestion control is still searching for its capacity (BBR's STARTUP) is
         * filled with padding frames while there is no data for it, for at most 3 s after it comes up or back
         * (default true). The capacity is then known before the first flow needs it, and that flow does not meet the
         * search's overshoot (docs/decisions.md, decision 41). Costs up to 3 s of each path's rate per (re)start;
         * a backup path (higher metric) is never padded. Turn it off on links billed by volume.
         */
        public Builder capacitySearch(boolean search) {
            this.capacitySearch = search;
            return this;
        }

        /** Packet buffers allocated up front (default 4096). */
        public Builder poolSize(int packets) {
            this.poolSize = packets;
            return this;
        }

        public Portal build() {
            if (source == null) {
                throw new IllegalStateException("a packet source is required");
            }
            if (role == Role.LOCAL) {
                if (paths.isEmpty()) {
                    throw new IllegalStateException("a local portal needs at least one path");
                }
                if (!listeners.isEmpty()) {
                    throw new IllegalStateException("a local portal has paths, not listeners");
                }
                Set<String> names = new HashSet<>();
                for (PathSpec p : paths) {
                    if (!names.add(p.name)) {
                        throw new IllegalStateException("duplicate path name '" + p.name + "'");
                    }
                }
                if (paths.size() > PortalCore.MAX_PATHS) {
                    throw new IllegalStateException("at most " + PortalCore.MAX_PATHS + " paths");
                }
            } else {
                if (listeners.isEmpty()) {
                    throw new IllegalStateException("a remote portal needs at least one listener");
                }
                if (!paths.isEmpty()) {
                    throw new IllegalStateException("a remote portal has listeners, not paths");
                }
            }
            if (hubKey != null || !peers.isEmpty()) {
                if (role != Role.REMOTE || hubKey == null) {
                    throw new IllegalStateException("peers are for a remote portal, with its key given by peers(...)");
                }
                Set<String> names = new HashSet<>();
                Set<String> keys = new HashSet<>();
                for (PeerSpec p : peers) {
                    if (!names.add(p.name())) {
                        throw new IllegalStateException("duplicate peer name '" + p.name() + "'");
                    }
                    if (!keys.add(dev.multipath.auth.StaticKeys.encode(p.publicKey()))) {
                        throw new IllegalStateException("peer '" + p.name() + "' has another peer's key");
                    }
                }
            }
            if (scheduler == null) {
                scheduler = new GreedyScheduler(queueCapacity);
            }
            return new Portal(this);
        }
    }
}
