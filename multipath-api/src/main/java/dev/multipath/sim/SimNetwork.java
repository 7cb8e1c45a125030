package dev.multipath.sim;

import dev.multipath.api.Authenticator;
import dev.multipath.api.Role;
import dev.multipath.api.Scheduler;
import dev.multipath.auth.PassThroughAuthenticator;
import dev.multipath.buffer.Packet;
import dev.multipath.cc.PathController;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.engine.ControlOutput;
import dev.multipath.engine.EnginePath;
import dev.multipath.engine.InboundAction;
import dev.multipath.engine.PacketPool;
import dev.multipath.engine.PortalCore;
import dev.multipath.frame.FrameHeader;
import dev.multipath.reorder.FlowReorderBuffer;
import dev.multipath.sched.GreedyScheduler;
import dev.multipath.stats.DropCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A local and a remote portal joined by simulated links, driven by simulated time: the whole protocol
 * ({@link PortalCore}, scheduler, authenticator) runs deterministically, single-threaded, with no sockets and no
 * root. Each path's sender takes a packet from the scheduler whenever its link is idle, as the threaded runtime's
 * sender does whenever its socket accepts more.
 */
public final class SimNetwork {

    /** A packet that came out of a portal's packet source side. */
    public record Delivery(long atNanos, int pathId, byte[] packet) {
    }

    private final SimClock clock = new SimClock();
    private final Side local;
    private final Side remote;
    private final List<SimLink[]> links = new ArrayList<>();
    private final long reorderHoldNanos;

    private SimNetwork(Builder b) {
        reorderHoldNanos = b.reorderHoldNanos;
        local = new Side(Role.LOCAL, b.scheduler.get(), b.localAuth, b.queueCapacity);
        remote = new Side(Role.REMOTE, b.scheduler.get(), b.remoteAuth, b.queueCapacity);
        local.core.setCapacitySearch(b.capacitySearchNanos);
        remote.core.setCapacitySearch(b.capacitySearchNanos);
        local.core.setRedundancy(b.redundancy);
        remote.core.setRedundancy(b.redundancy);
        for (int i = 0; i < b.links.size(); i++) {
            SimLink[] pair = SimLink.pair(clock, b.links.get(i), "link" + i);
            links.add(pair);
            EnginePath path = local.core.addPath("link" + i, b.metrics.get(i), 0);
            path.setOverflow(b.overflows.get(i));
            local.attach(path, pair[0]);
            remote.listen(pair[1]);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public SimClock clock() {
        return clock;
    }

    public PortalCore local() {
        return local.core;
    }

    public PortalCore remote() {
        return remote.core;
    }

    /** The local portal's end of link {@code i}. */
    public SimLink localEnd(int i) {
        return links.get(i)[0];
    }

    /** The remote portal's end of link {@code i}. */
    SimLink remoteEnd(int i) {
        return links.get(i)[1];
    }

    /** Packets the remote portal delivered (to its TUN), in order of delivery. */
    public List<Delivery> deliveredAtRemote() {
        return remote.delivered;
    }

    /** Packets the local portal delivered (to its TUN), in order of delivery. */
    public List<Delivery> deliveredAtLocal() {
        return local.delivered;
    }

    /** Brings every link up and starts the handshake and keepalives, as connecting transports would. */
    public SimNetwork start() {
        for (int i = 0; i < links.size(); i++) {
            EnginePath path = local.core.path(i);
            local.core.onLinkUp(path, links.get(i)[0]);
        }
        tick();
        return this;
    }

    /** Runs the simulation until absolute time {@code t}. */
    public void runUntil(long t) {
        clock.runUntil(t);
    }

    /** A packet enters the local portal's packet source now. Returns false if the portal dropped it. */
    public boolean sendFromLocal(byte[] ipPacket) {
        return local.fromSource(ipPacket);
    }

    /** A packet enters the remote portal's packet source now. Returns false if the portal dropped it. */
    public boolean sendFromRemote(byte[] ipPacket) {
        return remote.fromSource(ipPacket);
    }

    private void tick() {
        long now = clock.now();
        byte[] scratch = new byte[2048];
        int n = local.core.authenticator().pollHandshake(scratch, 0, now);
        if (n > 0) {
            for (EnginePath p : local.core.paths()) {
                if (p.isUsable()) {
                    local.sendRaw(p, scratch, n);
                }
            }
        }
        for (EnginePath p : local.core.paths()) {
            if (local.keepaliveDue(p, now)) {
                local.sendKeepalive(p);
            }
        }
        clock.after(10_000_000L, this::tick);
    }

    /** One portal in the simulation. */
    private final class Side implements ControlOutput {
        final PortalCore core;
        final PacketPool pool = new PacketPool(8192, 1600);
        final List<Delivery> delivered = new ArrayList<>();
        final Map<SimLink, EnginePath> pathByLink = new HashMap<>();
        final Map<EnginePath, Long> lastKeepalive = new HashMap<>();
        final Map<EnginePath, Long> pendingWake = new HashMap<>();
        final FlowReorderBuffer reorder = new FlowReorderBuffer(8192, reorderHoldNanos);
        long reorderWake = Long.MAX_VALUE;

        Side(Role role, Scheduler scheduler, Authenticator auth, int queueCapacity) {
            PathControllerConfig cc = PathControllerConfig.defaults()
                    .withMaxFrameSize(1500 + FrameHeader.LENGTH + auth.tagLength());
            this.core = new PortalCore(role, scheduler, auth, new DropCounters(), this::onNewPath, pool, this, cc);
            scheduler.setDropSink(p -> {
                core.drops().increment(dev.multipath.api.DropReason.NO_PATH);
                pool.release(p);
            });
        }

        void attach(EnginePath path, SimLink link) {
            pathByLink.put(link, path);
            link.onReceive(this::onFrame);
            link.onIdle(() -> pump(path));
        }

        void listen(SimLink link) {
            link.onReceive(this::onFrame);
        }

        void onNewPath(EnginePath path) {
            SimLink link = (SimLink) path.link();
            pathByLink.put(link, path);
            link.onIdle(() -> pump(path));
        }

        boolean keepaliveDue(EnginePath p, long now) {
            Long last = lastKeepalive.get(p);
            return p.link() != null && p.link().isUp() && (last == null || now - last >= 1_000_000_000L)
                    && core.authenticator().hasSession();
        }

        void sendKeepalive(EnginePath p) {
            Packet pk = pool.acquire();
            int n = core.sealKeepalive(p, pk, clock.now());
            if (n > 0) {
                lastKeepalive.put(p, clock.now());
                ((SimLink) p.link()).send(pk.frame(n));
            }
            pool.release(pk);
        }

        void sendRaw(EnginePath p, byte[] frame, int length) {
            ((SimLink) p.link()).send(java.nio.ByteBuffer.wrap(frame, 0, length));
        }

        boolean fromSource(byte[] ip) {
            Packet p = pool.acquire();
            System.arraycopy(ip, 0, p.data(), Packet.PAYLOAD_OFFSET, ip.length);
            p.setLength(ip.length);
            p.setTimeNanos(clock.now());
            if (!core.onSourcePacket(p)) {
                pool.release(p);
                return false;
            }
            for (EnginePath path : core.paths()) {
                pump(path);
            }
            return true;
        }

        @Override
        public void send(EnginePath path, Packet frame) {
            SimLink link = (SimLink) path.link();
            if (link != null) {
                link.send(frame.frame(frame.frameLength()));
                path.stats().controlFramesSent.incrementAndGet();
            }
            pool.release(frame);
        }

        @Override
        public void wake(EnginePath path) {
            clock.after(0, () -> pump(path));
        }

        /**
         * The path's sender, as in the threaded runtime: probes and delayed acks when due, then data while its link
         * is idle, the scheduler has a packet and congestion control allows; then sleep until the next timer.
         */
        void pump(EnginePath path) {
            SimLink link = (SimLink) path.link();
            if (link == null) {
                return;
            }
            long now = clock.now();
            PathController ctl = path.controller();
            core.emitProbeIfDue(path, now);
            core.emitAckIfDue(path, now);
            ctl.isAlive(now);
            core.updateSilence(path, now);
            if (!path.isUsable()) {
                core.scheduler().poll(path); // a dead path's queue moves to live paths
                wakeAt(path, Math.min(ctl.nextProbeTime(now), ctl.nextAckTime()));
                return;
            }
            int maxFrame = core.maxDataFrame();
            while (link.idle()) {
                if (!ctl.canSend(now, maxFrame)) {
                    wakeAt(path, Math.min(ctl.nextSendTime(now, maxFrame),
                            Math.min(ctl.nextProbeTime(now), ctl.nextAckTime())));
                    return;
                }
                Packet p = core.scheduler().poll(path);
                int n;
                if (p == null) {
                    // As the threaded runtime: a path searching for its capacity is padded (PortalCore#padsNow).
                    p = core.padsNow(path, now) ? pool.acquire() : null;
                    n = p == null ? -1 : core.sealPadding(path, p, now);
                    if (n < 0) {
                        if (p != null) {
                            pool.release(p);
                        }
                        ctl.onAppLimited();
                        break;
                    }
                } else {
                    if (!core.passesQueue(path, p, now)) {
                        pool.release(p);
                        continue;
                    }
                    n = core.sealData(path, p, now);
                }
                if (n > 0 && link.send(p.frame(n))) {
                    path.stats().packetsSent.incrementAndGet();
                    path.stats().bytesSent.addAndGet(n);
                    ctl.onFrameSent(FrameHeader.counter(p.data(), 0), n, now);
                }
                pool.release(p);
                if (link.failed() && !link.isUp()) {
                    local.core.onLinkDown(links.get(path.id())[0]);
                    remote.core.onLinkDown(links.get(path.id())[1]);
                    local.core.paths().forEach(local::pump);
                    remote.core.paths().forEach(remote::pump);
                    return;
                }
            }
            wakeAt(path, Math.min(ctl.nextProbeTime(now), ctl.nextAckTime()));
        }

        /** Schedules one wake-up of the path's sender at {@code t}, unless an earlier one is pending. */
        void wakeAt(EnginePath path, long t) {
            if (t == Long.MAX_VALUE) {
                return;
            }
            long at = Math.max(t, clock.now() + 1_000);
            Long pending = pendingWake.get(path);
            if (pending != null && pending <= at && pending >= clock.now()) {
                return;
            }
            pendingWake.put(path, at);
            clock.at(at, () -> {
                if (pendingWake.get(path) == at) {
                    pendingWake.remove(path);
                }
                pump(path);
            });
        }

        void onFrame(SimLink link, byte[] frame) {
            Packet p = pool.acquire();
            if (frame.length > p.data().length) {
                pool.release(p);
                return;
            }
            System.arraycopy(frame, 0, p.data(), 0, frame.length);
            EnginePath known = core.role() == Role.LOCAL ? pathByLink.get(link) : null;
            InboundAction action = core.onFrame(link, known, p, frame.length, clock.now());
            if (action == InboundAction.DELIVER) {
                // As the threaded runtime's writer: per-flow order restored, then out.
                reorder.offer(p, PortalCore.flowBucket(p), FrameHeader.flowSequence(p.data(), 0),
                        core.extendedCounter(p.data(), false), clock.now(), this::deliver, pool::release);
                settleAndExpire();
                return;
            } else if (action == InboundAction.REPLY) {
                link.send(p.frame(p.frameLength()));
            }
            pool.release(p);
        }

        void deliver(Packet p) {
            byte[] ip = new byte[p.length()];
            System.arraycopy(p.data(), Packet.PAYLOAD_OFFSET, ip, 0, ip.length);
            delivered.add(new Delivery(clock.now(), p.pathId(), ip));
            core.countDelivered();
            pool.release(p);
        }

        /** Gives up gaps every live path has passed, releases what waited too long, and plans the next expiry. */
        void settleAndExpire() {
            long now = clock.now();
            reorder.settleBelow(core.lowestActiveCounter(now, reorder.maxHoldNanos() + 50_000_000L), this::deliver);
            reorder.expire(now, this::deliver);
            long deadline = reorder.nextDeadline();
            if (deadline != Long.MAX_VALUE && deadline != reorderWake) {
                reorderWake = deadline;
                clock.at(deadline, this::settleAndExpire);
            }
        }
    }

    /** Describes the network to simulate. */
    public static final class Builder {
        private final List<SimLinkSpec> links = new ArrayList<>();
        private final List<Integer> metrics = new ArrayList<>();
        private final List<Boolean> overflows = new ArrayList<>();
        private dev.multipath.api.RedundancyPolicy redundancy = dev.multipath.api.RedundancyPolicy.NONE;
        private Supplier<Scheduler> scheduler = GreedyScheduler::new;
        private Authenticator localAuth = new PassThroughAuthenticator();
        private Authenticator remoteAuth = new PassThroughAuthenticator();
        private int queueCapacity = GreedyScheduler.DEFAULT_CAPACITY;
        private long reorderHoldNanos = 50_000_000L;
        private long capacitySearchNanos = PortalCore.DEFAULT_CAPACITY_SEARCH_NANOS;

        /**
         * How long both portals pad a path whose controller searches for its capacity (default as the threaded
         * runtime's; 0: never). Tests that count a link's frames turn it off.
         */
        public Builder capacitySearch(long nanos) {
            this.capacitySearchNanos = nanos;
            return this;
        }

        /** Longest wait of a packet for its predecessor in the receivers' reorder buffers (default 50 ms). */
        public Builder reorderHold(long nanos) {
            this.reorderHoldNanos = nanos;
            return this;
        }

        public Builder link(SimLinkSpec spec) {
            return link(spec, 0);
        }

        public Builder link(SimLinkSpec spec, int metric) {
            return link(spec, metric, false);
        }

        /** A link whose path has {@code metric} and may overflow (take traffic when the lower tier is saturated). */
        public Builder link(SimLinkSpec spec, int metric, boolean overflow) {
            links.add(spec);
            metrics.add(metric);
            overflows.add(overflow);
            return this;
        }

        /** Which packets both portals send on every path (redundant mode). */
        public Builder redundancy(dev.multipath.api.RedundancyPolicy policy) {
            this.redundancy = policy;
            return this;
        }

        /** A scheduler per portal (called twice). */
        Builder scheduler(Supplier<Scheduler> scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** The two portals' authenticators (default: pass-through). */
        public Builder authenticators(Authenticator local, Authenticator remote) {
            this.localAuth = local;
            this.remoteAuth = remote;
            return this;
        }

        Builder queueCapacity(int packets) {
            this.queueCapacity = packets;
            return this;
        }

        public SimNetwork build() {
            if (links.isEmpty()) {
                throw new IllegalStateException("at least one link");
            }
            return new SimNetwork(this);
        }
    }
}
