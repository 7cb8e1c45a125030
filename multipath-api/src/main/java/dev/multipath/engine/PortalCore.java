package dev.multipath.engine;

import dev.multipath.api.Authenticator;
import dev.multipath.api.DropReason;
import dev.multipath.api.Link;
import dev.multipath.api.RedundancyPolicy;
import dev.multipath.api.Role;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import dev.multipath.cc.PathController;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.frame.EcnMark;
import dev.multipath.frame.FlowKey;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import dev.multipath.frame.InnerPacket;
import dev.multipath.frame.MssClamp;
import dev.multipath.stats.DropCounters;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The portal's protocol logic with no threads and no I/O inside ("sans-IO"): it turns packets from the packet
 * source into sealed frames for a path, and received frames into packets for the packet source, handshake replies,
 * or counted drops. The threaded {@link dev.multipath.api.Portal} and the deterministic simulator
 * ({@link dev.multipath.sim.SimNetwork}) both drive it, so the same code is tested without root or sockets.
 *
 * <p>Threading: {@link #onSourcePacket} from the source reader; {@link #sealData}/{@link #sealKeepalive} from the
 * path's sender; {@link #onFrame} from any receive thread. Path registration is copy-on-write and rare.
 */
public final class PortalCore {

    /** Path ids are one byte in the frame header. */
    public static final int MAX_PATHS = 256;
    /**
     * How long after a path comes up (or back) it may be padded while its controller searches for its capacity
     * ({@link #padsNow}): BBR's STARTUP needs about 6-8 round trips, under a second on the lab's
     * 120 ms path.
     */
    public static final long DEFAULT_CAPACITY_SEARCH_NANOS = 3_000_000_000L;

    private final Role role;
    private final Scheduler scheduler;
    private final Authenticator authenticator;
    private final DropCounters drops;
    private final Consumer<EnginePath> onNewPath;
    private final PacketPool pool;
    private final ControlOutput output;
    private final PathControllerConfig ccConfig;
    private final EnginePath[] byId = new EnginePath[MAX_PATHS];
    private volatile EnginePath[] paths = new EnginePath[0];
    private final AtomicLong packetsFromSource = new AtomicLong();
    private final AtomicLong packetsToSource = new AtomicLong();
    private final AtomicLong redundantPackets = new AtomicLong();
    private volatile RedundancyPolicy redundancy = RedundancyPolicy.NONE;
    private volatile SourceFilter sourceFilter = SourceFilter.ALLOW_ALL;
    /** TCP SYNs read from the source get an MSS that fits this MTU ({@link MssClamp}); 0: off. */
    private volatile int mssClampMtu;
    private volatile long capacitySearchNanos = DEFAULT_CAPACITY_SEARCH_NANOS;
    private final AtomicLong mssClamped = new AtomicLong();
    /** Next per-flow sequence number of each flow bucket; only the source reader touches it. */
    private final int[] flowSequences = new int[FlowKey.BUCKETS];

    /**
     * @param onNewPath called (on a receive thread) when the remote portal learns a new path from an
     *                  authenticated frame, so the driver can start serving it
     */
    public PortalCore(Role role, Scheduler scheduler, Authenticator authenticator, DropCounters drops,
            Consumer<EnginePath> onNewPath, PacketPool pool, ControlOutput output, PathControllerConfig ccConfig) {
        this.role = role;
        this.scheduler = scheduler;
        this.authenticator = authenticator;
        this.drops = drops;
        this.onNewPath = onNewPath;
        this.pool = pool;
        this.output = output;
        this.ccConfig = ccConfig;
    }

    /** The largest DATA frame: the largest inner packet plus header and tag. */
    public int maxDataFrame() {
        return ccConfig.maxFrameSize();
    }

    public Role role() {
        return role;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public DropCounters drops() {
        return drops;
    }

    public List<EnginePath> paths() {
        return List.of(paths);
    }

    public EnginePath path(int id) {
        return id >= 0 && id < MAX_PATHS ? byId[id] : null;
    }

    public long packetsFromSource() {
        return packetsFromSource.get();
    }

    public long packetsToSource() {
        return packetsToSource.get();
    }

    /**
     * Clamps the MSS that TCP SYNs read from the packet source announce to what fits in {@code mtu}-byte inner packets
     * (the TUN MTU), so connections through the tunnel never send a segment the tunnel refuses; 0 turns it off.
     */
    public void clampMssTo(int mtu) {
        this.mssClampMtu = Math.max(0, mtu);
    }

    /** TCP SYNs whose MSS option was lowered ({@link #clampMssTo}). */
    public long mssClamped() {
        return mssClamped.get();
    }

    /** Registers a configured path (local portal); ids follow the order of registration. */
    public synchronized EnginePath addPath(String name, int metric, long nowNanos) {
        int id = paths.length;
        if (id >= MAX_PATHS) {
            throw new IllegalStateException("at most " + MAX_PATHS + " paths");
        }
        return register(new EnginePath(id, name, metric, ccConfig, nowNanos));
    }

    private synchronized EnginePath register(EnginePath p) {
        byId[p.id()] = p;
        EnginePath[] a = Arrays.copyOf(paths, paths.length + 1);
        a[a.length - 1] = p;
        paths = a;
        scheduler.addPath(p);
        return p;
    }

    /**
     * A packet read from the packet source. Checks it and queues it with the scheduler.
     *
     * @return true if queued (the scheduler owns it now); false if dropped and counted (the caller recycles it)
     */
    public boolean onSourcePacket(Packet p) {
        packetsFromSource.incrementAndGet();
        if (!InnerPacket.isWellFormed(p.data(), Packet.PAYLOAD_OFFSET, p.length())) {
            drops.increment(DropReason.BAD_INNER_PACKET);
            return false;
        }
        int clampMtu = mssClampMtu;
        if (clampMtu > 0 && MssClamp.clamp(p.data(), Packet.PAYLOAD_OFFSET, p.length(), clampMtu)) {
            mssClamped.incrementAndGet();
        }
        // Numbered in the order the source gave them: the receiver restores this order per flow.
        int bucket = FlowKey.bucket(p.data(), Packet.PAYLOAD_OFFSET, p.length());
        p.setFlowSequence(flowSequences[bucket]++ & 0xffff);
        p.setFlowBucket(bucket);
        if (redundancy.matches(p.data(), Packet.PAYLOAD_OFFSET, p.length()) && sendOnEveryPath(p)) {
            return true;
        }
        if (scheduler.offer(p)) {
            return true;
        }
        // Not sent: give the number back, so the receiver does not wait for a packet that will never come.
        flowSequences[bucket]--;
        drops.increment(anyUsable() ? DropReason.QUEUE_FULL : DropReason.NO_PATH);
        return false;
    }

    /**
     * Redundant mode: a copy of {@code p} goes on every usable path, ahead of queued data (and outside congestion
     * control: such traffic is small and urgent). Consumes {@code p} and returns true if it went on at least one path.
     */
    private boolean sendOnEveryPath(Packet p) {
        long now = p.timeNanos(); // the driver's clock when it read the packet: the core reads no clock itself
        int sent = 0;
        for (EnginePath path : paths) {
            if (!path.isUsable()) {
                continue;
            }
            Packet copy = pool.acquire();
            if (copy == null) {
                break;
            }
            System.arraycopy(p.data(), Packet.PAYLOAD_OFFSET, copy.data(), Packet.PAYLOAD_OFFSET, p.length());
            copy.setLength(p.length());
            copy.setFlowSequence(p.flowSequence());
            copy.setFlowBucket(p.flowBucket());
            if (seal(path, copy, FrameType.DATA, copy.length(), now) < 0) {
                pool.release(copy);
                continue;
            }
            output.send(path, copy);
            path.stats().packetsSent.incrementAndGet();
            path.stats().bytesSent.addAndGet(copy.frameLength());
            sent++;
        }
        if (sent == 0) {
            return false;
        }
        redundantPackets.incrementAndGet();
        pool.release(p);
        return true;
    }

    /** Packets sent on every path by redundant mode. */
    long redundantPackets() {
        return redundantPackets.get();
    }

    /** Sets which delivered inner packets may enter the packet source (cryptokey routing); default all. */
    public void setSourceFilter(SourceFilter filter) {
        this.sourceFilter = java.util.Objects.requireNonNull(filter, "filter");
    }

    /** Sets which packets go on every path (redundant mode); call before starting. */
    public void setRedundancy(RedundancyPolicy policy) {
        this.redundancy = policy;
    }

    private boolean anyHeardBesides(EnginePath path, long sinceNanos) {
        for (EnginePath p : paths) {
            if (p != path && p.isUsable() && p.controller().lastProofNanos() - sinceNanos > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether a path other than {@code path} (null: any path) is usable. */
    private boolean anyUsableBesides(EnginePath path) {
        for (EnginePath p : paths) {
            if (p != path && p.isUsable()) {
                return true;
            }
        }
        return false;
    }

    private boolean anyUsable() {
        return anyUsableBesides(null);
    }

    /**
     * Frames and seals a data packet in place for {@code path}.
     *
     * @return the frame length (the frame is {@code p.data()[0, length)}), or -1 if dropped and counted
     */
    public int sealData(EnginePath path, Packet p, long nowNanos) {
        // With no other usable path there is nowhere to rescue packets to: no copy then.
        RescueRing ring = anyUsableBesides(path) ? path.rescueRing() : null;
        if (ring != null) {
            ring.stage(p);
        }
        int n = seal(path, p, FrameType.DATA, p.length(), nowNanos);
        if (ring != null) {
            if (n > 0) {
                ring.commit(FrameHeader.counter(p.data(), 0));
            } else {
                ring.abandon();
            }
        }
        return n;
    }

    /**
     * How long a path may be padded while its controller searches for its capacity (0: never pad). See
     * {@link #padsNow}.
     */
    public void setCapacitySearch(long nanos) {
        this.capacitySearchNanos = Math.max(0, nanos);
    }

    /**
     * Whether {@code path}'s sender should send a PADDING frame now ({@link #sealPadding}), asked when it has no data
     * for the path while its window and pacer would let a frame go: the path is usable, in the lowest usable metric
     * tier (a backup path stays idle), a session is up, and its controller has not found the path's capacity within
     * {@link #setCapacitySearch}'s budget since the path came up or back ({@link PathController#searchesCapacity}).
     * Without it the first flow after the portals start (or after a path returns) met the controller's search: a
     * path in STARTUP paced at 2.9 times its rate, overflowed its link's queue, and the inner TCP took those drops
     * for congestion. Measured (lab three-unequal, the first outbound flow, both portals traced): the 18 Mbit /
     * 25 ms path lost 49 frames in its STARTUP 0.6 s into the flow, the inner cubic set ssthresh 270 segments (the
     * links' BDP at its RTT is about 410) and ran at 35 Mbit/s against 45-47 for a later flow; the 30 Mbit / 60 ms
     * path, application-limited throughout, never left STARTUP.
     */
    public boolean padsNow(EnginePath path, long nowNanos) {
        return authenticator.hasSession() && path.isUsable() && path.metric() <= lowestUsableMetric()
                && path.controller().searchesCapacity(nowNanos, capacitySearchNanos);
    }

    /**
     * Builds a PADDING frame of the largest data frame's size for {@code path} in {@code p}: zeros, sealed like any
     * frame. The caller counts it with the path's controller ({@code onFrameSent}) as it counts data.
     *
     * @return the frame length, or -1 if it cannot be sealed (counted)
     */
    public int sealPadding(EnginePath path, Packet p, long nowNanos) {
        int len = ccConfig.maxFrameSize() - FrameHeader.LENGTH - authenticator.tagLength();
        if (len <= 0) {
            return -1;
        }
        // Zeros: a pooled buffer holds an earlier packet, perhaps another peer's.
        Arrays.fill(p.data(), Packet.PAYLOAD_OFFSET, Packet.PAYLOAD_OFFSET + len, (byte) 0);
        int n = seal(path, p, FrameType.PADDING, len, nowNanos);
        if (n > 0) {
            path.stats().paddingSent.incrementAndGet();
        }
        return n;
    }

    private int lowestUsableMetric() {
        int lowest = Integer.MAX_VALUE;
        for (EnginePath path : paths) {
            if (path.isUsable()) {
                lowest = Math.min(lowest, path.metric());
            }
        }
        return lowest;
    }

    /** Frames a packet arrived with: (flow bucket, flow sequence) of a delivered DATA packet. */
    public static int flowBucket(Packet p) {
        return FlowKey.bucket(p.data(), Packet.PAYLOAD_OFFSET, p.length());
    }

    /**
     * Builds a keepalive for {@code path} in {@code p}: it tells the peer the path exists, its name and its metric.
     *
     * @return the frame length, or -1 if it cannot be sealed yet (no session)
     */
    public int sealKeepalive(EnginePath path, Packet p, long nowNanos) {
        byte[] name = path.name().getBytes(StandardCharsets.UTF_8);
        int nameLen = Math.min(name.length, 64);
        byte[] d = p.data();
        int o = Packet.PAYLOAD_OFFSET;
        d[o] = (byte) path.metric();
        d[o + 1] = (byte) nameLen;
        System.arraycopy(name, 0, d, o + 2, nameLen);
        return seal(path, p, FrameType.KEEPALIVE, 2 + nameLen, nowNanos);
    }

    /**
     * Holds a silent path back ({@link dev.multipath.cc.PathController#isSilent}: a full frame's ACK overdue) while
     * another usable path was heard during its silence, so the scheduler gives new data, and the inner TCP's
     * retransmissions, to paths that are heard. With no other path it keeps its data: holding back the only path
     * would drop packets on a merely slow ACK. Nor when no path was heard lately: then the peer, or this portal's own
     * receive thread, stalled (measured: a CI run of six portals on two cores rescued packets of healthy paths, and
     * copies arriving more than 64 packets late were delivered twice; decision 37 then widened the receiver's
     * duplicate window). Called by the path's sender on every turn,
     * after {@code isAlive}.
     */
    public void updateSilence(EnginePath path, long nowNanos) {
        boolean silent = path.controller().isSilent(nowNanos)
                && anyHeardBesides(path, path.controller().silenceMidpointNanos());
        if (path.setQuiet(silent) && silent) {
            // The frames it sent since its last ACK are probably in the hole: send them again on the paths that are
            // heard (the scheduler no longer offers this one), before the inner TCP misses them.
            PathController ctl = path.controller();
            int n = path.rescueRing().rescue(ctl::isInFlight, this::flowLag, pool, nowNanos, scheduler::offer);
            if (n > 0) {
                path.stats().packetsRescued.addAndGet(n);
            }
        }
    }

    /**
     * How many numbers {@code bucket}'s flow has given out since {@code seq}. Read on a path's sender thread while the
     * source reader writes the counter: a stale value only makes the lag look smaller.
     */
    private int flowLag(int bucket, int seq) {
        return (flowSequences[bucket] - seq) & 0xffff;
    }

    /**
     * If {@code path} owes its peer a probe now, builds it and hands it to the output.
     *
     * @return true if a probe went out
     */
    public boolean emitProbeIfDue(EnginePath path, long nowNanos) {
        if (!authenticator.hasSession() || !path.controller().probeDue(nowNanos)) {
            return false;
        }
        Packet p = pool.acquire();
        if (p == null) {
            return false;
        }
        int len = path.controller().writeProbe(p.data(), Packet.PAYLOAD_OFFSET, nowNanos);
        return emit(path, p, FrameType.PROBE, len, nowNanos);
    }

    /**
     * If a (delayed) ack for {@code path} is due now, builds it and hands it to the output.
     *
     * @return true if an ack went out
     */
    public boolean emitAckIfDue(EnginePath path, long nowNanos) {
        PathController c = path.controller();
        if (!authenticator.hasSession() || nowNanos < c.nextAckTime() && !c.ackDue(nowNanos)) {
            return false;
        }
        Packet p = pool.acquire();
        if (p == null) {
            return false;
        }
        int len = c.writeAck(p.data(), Packet.PAYLOAD_OFFSET, nowNanos);
        if (len <= 0) {
            pool.release(p);
            return false;
        }
        return emit(path, p, FrameType.ACK, len, nowNanos);
    }

    private boolean emit(EnginePath path, Packet p, FrameType type, int payloadLength, long nowNanos) {
        if (seal(path, p, type, payloadLength, nowNanos) < 0) {
            pool.release(p);
            return false;
        }
        output.send(path, p);
        return true;
    }

    private int seal(EnginePath path, Packet p, FrameType type, int payloadLength, long nowNanos) {
        byte[] d = p.data();
        FrameHeader.write(d, 0, type, 0, path.id(), 0, 0, timestampMillis(nowNanos));
        if (type == FrameType.DATA) {
            FrameHeader.setFlowSequence(d, 0, p.flowSequence());
        }
        int n = authenticator.seal(d, 0, payloadLength);
        if (n < 0) {
            drops.increment(Authenticator.dropReason(n));
            return -1;
        }
        p.setFrameLength(n);
        return n;
    }

    static int timestampMillis(long nowNanos) {
        return (int) ((nowNanos / 1_000_000L) & 0xffff);
    }

    /**
     * A frame arrived on {@code link}. The frame has been copied to {@code p.data()[0, frameLength)}.
     *
     * @param knownPath the path the link belongs to when the driver knows it (local portal), else null
     * @return what to do with {@code p}
     */
    public InboundAction onFrame(Link link, EnginePath knownPath, Packet p, int frameLength, long nowNanos) {
        byte[] d = p.data();
        FrameType type = FrameHeader.validate(d, 0, frameLength);
        if (type == null) {
            drops.increment(DropReason.MALFORMED);
            return InboundAction.CONSUMED;
        }
        if (type.isHandshake()) {
            return onHandshake(p, frameLength, isBound(link), nowNanos);
        }
        int payload = authenticator.open(d, 0, frameLength, nowNanos);
        if (payload < 0) {
            drops.increment(Authenticator.dropReason(payload));
            return InboundAction.CONSUMED;
        }
        // Only now, after authentication, may the frame change any state.
        EnginePath path = knownPath != null ? knownPath : learnPath(link, FrameHeader.pathId(d, 0), type, d, payload,
                nowNanos);
        if (path == null) {
            drops.increment(DropReason.UNKNOWN_PATH);
            return InboundAction.CONSUMED;
        }
        path.stats().lastReceiveNanos.set(nowNanos);
        long counter = extendedCounter(d, true);
        path.setLastCounter(counter);
        switch (type) {
            case DATA:
                if (!InnerPacket.isWellFormed(d, Packet.PAYLOAD_OFFSET, payload)) {
                    drops.increment(DropReason.BAD_INNER_PACKET);
                    return InboundAction.CONSUMED;
                }
                path.stats().packetsReceived.incrementAndGet();
                path.stats().bytesReceived.addAndGet(frameLength);
                path.controller().onFrameReceived(counter, frameLength, nowNanos);
                emitAckIfDue(path, nowNanos);
                // Counted by congestion control above (the frame did arrive), but a peer may only speak for
                // its own addresses.
                if (!sourceFilter.allows(d, Packet.PAYLOAD_OFFSET, payload)) {
                    drops.increment(DropReason.SOURCE_NOT_ALLOWED);
                    return InboundAction.CONSUMED;
                }
                p.setLength(payload);
                p.setPathId(path.id());
                p.setTimeNanos(nowNanos);
                return InboundAction.DELIVER;
            case PADDING:
                // Congestion control counts it as it counts data (the sender's controller is measuring the path);
                // then it is thrown away.
                path.stats().controlFramesReceived.incrementAndGet();
                path.controller().onFrameReceived(counter, frameLength, nowNanos);
                emitAckIfDue(path, nowNanos);
                return InboundAction.CONSUMED;
            case KEEPALIVE:
                path.stats().controlFramesReceived.incrementAndGet();
                return InboundAction.CONSUMED;
            case ACK: {
                path.stats().controlFramesReceived.incrementAndGet();
                EnginePath acked = path(PathController.ackedPathId(d, Packet.PAYLOAD_OFFSET, payload));
                if (acked == null) {
                    drops.increment(DropReason.MALFORMED);
                } else if (acked.controller().onAckFrame(d, Packet.PAYLOAD_OFFSET, payload, nowNanos)) {
                    output.wake(acked);
                } // else: stale or duplicate (reordered) ack, counted by the controller as badAcks

                return InboundAction.CONSUMED;
            }
            case PROBE: {
                path.stats().controlFramesReceived.incrementAndGet();
                Packet reply = pool.acquire();
                if (reply == null) {
                    return InboundAction.CONSUMED;
                }
                int len = PathController.writeProbeReply(d, Packet.PAYLOAD_OFFSET, payload, reply.data(),
                        Packet.PAYLOAD_OFFSET);
                if (len < 0) {
                    pool.release(reply);
                    drops.increment(DropReason.MALFORMED);
                } else {
                    emit(path, reply, FrameType.PROBE_REPLY, len, nowNanos);
                }
                return InboundAction.CONSUMED;
            }
            case PROBE_REPLY:
                path.stats().controlFramesReceived.incrementAndGet();
                if (path.controller().onProbeReply(d, Packet.PAYLOAD_OFFSET, payload, nowNanos)) {
                    output.wake(path);
                }
                return InboundAction.CONSUMED;
            default:
                drops.increment(DropReason.UNEXPECTED_TYPE);
                return InboundAction.CONSUMED;
        }
    }

    /**
     * The lowest last-received counter over usable paths that delivered something within {@code activeNanos}:
     * every frame with a lower counter has arrived or was lost (paths deliver in order). Long.MIN_VALUE if no path
     * is active. A path idle for longer is not waited for; what it may still bring arrives late.
     */
    public long lowestActiveCounter(long nowNanos, long activeNanos) {
        long lowest = Long.MAX_VALUE;
        for (EnginePath path : paths) {
            if (path.isUsable() && path.lastCounter() >= 0
                    && nowNanos - path.stats().lastReceiveNanos.get() < activeNanos) {
                lowest = Math.min(lowest, path.lastCounter());
            }
        }
        return lowest == Long.MAX_VALUE ? Long.MIN_VALUE : lowest;
    }

    /**
     * The path's CoDel decides on a data packet leaving the queue for {@code path}. When CoDel calls for a drop and
     * the packet's sender negotiated ECN, the packet is marked Congestion Experienced and sent instead (RFC 8289,
     * section 5): the sender gets the same signal without losing the packet (decision 45).
     *
     * @return true to send the packet; false if it was dropped (counted under {@link DropReason#QUEUE_DELAY}) and the
     *         caller must recycle it
     */
    public boolean passesQueue(EnginePath path, Packet p, long nowNanos) {
        if (!path.codel().shouldDrop(p.timeNanos() + queueAllowanceNanos(path), nowNanos,
                !scheduler.hasWork(path))) {
            return true;
        }
        if (EcnMark.markCongestionExperienced(p.data(), Packet.PAYLOAD_OFFSET, p.length())) {
            path.stats().ecnMarked.incrementAndGet();
            return true;
        }
        drops.increment(DropReason.QUEUE_DELAY);
        return false;
    }

    /**
     * How long a packet may wait in the queue before CoDel counts it as standing queue, beyond CoDel's own target:
     * the spread of one-way delays between usable paths. The earliest-arrival scheduler gives a longer path packets
     * only once the shorter paths' backlog is worth that spread, so a queue of that depth is the scheduler working, not
     * congestion; without this allowance CoDel kept the queue too short for the long path ever to be used.
     */
    public long queueAllowanceNanos(EnginePath path) {
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (EnginePath p : paths) {
            long rtt = p.smoothedRttNanos();
            if (p.isUsable() && rtt > 0) {
                shortest = Math.min(shortest, rtt / 2);
                longest = Math.max(longest, rtt / 2);
            }
        }
        return longest > shortest ? longest - shortest : 0;
    }

    /** Counts a packet written to the packet source. */
    public void countDelivered() {
        packetsToSource.incrementAndGet();
    }

    /** The receiver indices of the newest two sessions and their epochs (immutable; replaced on a new session). */
    private record Epochs(int current, long currentEpoch, int previous, long previousEpoch) {
    }

    private volatile Epochs epochs = new Epochs(-1, 0, -1, 0);

    /**
     * The counter of an authenticated frame extended with its session's epoch in the high 32 bits. Each session
     * numbers its frames from 0, so after a rekey (every 2 minutes) the bare counters of the new session sort before
     * the old one's: the reorder buffer then held packets until its timeout and the ACKs listed counters the sender
     * no longer had (lab: goodput fell by a third two minutes into every flow). Sessions are told apart by the
     * receiver index each one carries; a new index starts the next epoch.
     *
     * @param learn whether an unknown index starts a new epoch (the receive path); false from other threads, which
     *        then get the current epoch
     */
    public long extendedCounter(byte[] d, boolean learn) {
        int index = FrameHeader.receiverIndex(d, 0);
        long counter = FrameHeader.counter(d, 0);
        Epochs e = epochs;
        long epoch;
        if (index == e.current()) {
            epoch = e.currentEpoch();
        } else if (index == e.previous()) {
            epoch = e.previousEpoch();
        } else if (learn) {
            epoch = learnEpoch(index);
        } else {
            epoch = e.currentEpoch();
        }
        return (epoch << 32) | counter;
    }

    /** A receiver index not among the newest two: the next session (receive threads may race here, hence the lock). */
    private synchronized long learnEpoch(int index) {
        Epochs e = epochs;
        if (index == e.current()) {
            return e.currentEpoch();
        }
        if (index == e.previous()) {
            return e.previousEpoch();
        }
        long epoch = e.current() < 0 ? 0 : e.currentEpoch() + 1;
        epochs = new Epochs(index, epoch, e.current(), e.currentEpoch());
        return epoch;
    }

    /**
     * Whether a path is bound to {@code link}: only an authenticated frame binds a link on a remote portal, so a
     * handshake arriving on it comes from a proven source.
     */
    boolean isBound(Link link) {
        for (EnginePath path : paths) {
            if (path.link() == link) {
                return true;
            }
        }
        return false;
    }

    private InboundAction onHandshake(Packet p, int frameLength, boolean provenSource, long nowNanos) {
        byte[] d = p.data();
        // The reply is built in a scratch copy: the authenticator reads the request while writing the answer.
        byte[] request = Arrays.copyOf(d, frameLength);
        int n = authenticator.onHandshake(request, 0, frameLength, d, 0, nowNanos, provenSource);
        if (n < 0) {
            drops.increment(Authenticator.dropReason(n));
            return InboundAction.CONSUMED;
        }
        if (n == 0) {
            return InboundAction.CONSUMED;
        }
        p.setFrameLength(n);
        return InboundAction.REPLY;
    }

    /**
     * Remote portal: the path named in an authenticated frame, created on first sight, and bound to the link the
     * frame came from (so a path may move to a new address, but only an authenticated frame can move it).
     */
    private EnginePath learnPath(Link link, int id, FrameType type, byte[] d, int payload, long nowNanos) {
        if (role != Role.REMOTE) {
            return null;
        }
        EnginePath path = byId[id];
        if (path == null) {
            String name = "path" + id;
            int metric = 0;
            if (type == FrameType.KEEPALIVE && payload >= 2) {
                metric = d[Packet.PAYLOAD_OFFSET] & 0xff;
                int nameLen = Math.min(d[Packet.PAYLOAD_OFFSET + 1] & 0xff, payload - 2);
                if (nameLen > 0) {
                    name = new String(d, Packet.PAYLOAD_OFFSET + 2, nameLen, StandardCharsets.UTF_8);
                }
            }
            synchronized (this) {
                path = byId[id];
                if (path == null) {
                    path = register(new EnginePath(id, name, metric, ccConfig, nowNanos));
                    path.bind(link);
                    link.markAuthenticated();
                    onNewPath.accept(path);
                    return path;
                }
            }
        }
        if (path.bind(link)) {
            // A new or revived link proved itself: let the transport keep it ahead of unproven ones.
            link.markAuthenticated();
        }
        if (type == FrameType.KEEPALIVE && payload >= 2) {
            // A path first seen through a probe or data frame was created as "pathN" with metric 0; its keepalives
            // (every second while it is idle) carry the real name and metric (lab: a backup path's metric was
            // ignored for the whole session in 9 of 20 runs, and it carried traffic before the primary failed).
            int nameLen = Math.min(d[Packet.PAYLOAD_OFFSET + 1] & 0xff, payload - 2);
            path.describe(nameLen > 0 ? new String(d, Packet.PAYLOAD_OFFSET + 2, nameLen, StandardCharsets.UTF_8)
                    : path.name(), d[Packet.PAYLOAD_OFFSET] & 0xff);
        }
        return path;
    }

    /** Local portal: the transport of {@code path} reported {@code link} up. Returns true if the path came up. */
    public boolean onLinkUp(EnginePath path, Link link) {
        return path.bind(link);
    }

    /** The transport reported {@code link} down: every path using it stops being scheduled. */
    public void onLinkDown(Link link) {
        for (EnginePath p : paths) {
            p.linkDown(link);
        }
    }
}
