package dev.multipath.api;

import dev.multipath.auth.PassThroughAuthenticator;
import dev.multipath.buffer.PacketPool;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.engine.ControlOutput;
import dev.multipath.engine.EnginePath;
import dev.multipath.frame.FrameHeader;
import dev.multipath.engine.PortalCore;
import dev.multipath.engine.PortalRuntime;
import dev.multipath.engine.RedundancyPolicy;
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
 * <p>The portal owns every part given to it: {@link #close()} closes the transports and the packet source.
 * {@link #start()} and {@link #close()} are called once each; {@link #status()} from any thread at any time.
 */
public final class Portal implements Closeable {

    private final Role role;
    private final String sourceName;
    private final PortalCore core;
    private final PortalRuntime runtime;
    private boolean started;
    private boolean closed;

    private Portal(Builder b) {
        this.role = b.role;
        this.sourceName = b.source.name();
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
        this.runtime = new PortalRuntime(core, b.source, pool, transports, paths, b.receiveQueueCapacity);
        rt[0] = runtime;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every thread and transport. */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("portal already started");
        }
        started = true;
        runtime.start();
    }

    /** Stops all threads, closes the transports and the packet source. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            runtime.close();
        }
    }

    public Role role() {
        return role;
    }

    /** A consistent-enough snapshot of counters and path states. */
    public PortalStatus status() {
        List<dev.multipath.stats.PathStats.Snapshot> paths = new ArrayList<>();
        for (EnginePath p : core.paths()) {
            paths.add(p.snapshot());
        }
        return new PortalStatus(role, sourceName, core.packetsFromSource(), core.packetsToSource(),
                core.authenticator().hasSession(), List.copyOf(paths), core.drops().nonZero(),
                runtime.reorderStatus());
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

        private Builder() {
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
            if (scheduler == null) {
                scheduler = new GreedyScheduler(queueCapacity);
            }
            return new Portal(this);
        }
    }
}
