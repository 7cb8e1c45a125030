package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * Sends each packet on the path where it is expected to arrive first (the ECF / BLEST family), built on the greedy
 * pull: one shared queue that every path's sender takes from whenever its congestion control lets it send, except
 * that a path with a longer one-way delay (half its smoothed RTT) holds back while the faster paths would deliver
 * everything queued before a packet sent on it now would arrive. So on equal links it is the greedy scheduler, and a
 * slow, long path carries only what the fast ones cannot, and packets arrive nearly in the order they were sent. A
 * long path that carries more than the shorter ones together never holds back (it is needed for capacity).
 *
 * <p>Why a pull and not a push onto per-path queues by predicted arrival (the first version): a push needs each
 * path's capacity, and a path that gets little traffic measures a low delivery rate (it is application-limited), is
 * then given still less, and ends unused (measured in the lab: one 10 Mbit path of two carried the flow). Here the
 * fast paths always take as much as they can, so their measured rates are their capacities; the slow path's own rate
 * is not needed.
 *
 * <p>The queue is short (tail drop when full, or when its expected wait at the usable paths' summed rate exceeds
 * {@code maxQueueDelayNanos}): a deep queue here would hide the paths' capacity from the inner TCP. Among usable
 * paths only those with the lowest metric take packets (connection metrics).
 *
 * <p>Threading: {@link #offer} from the source reader; {@link #poll} and {@link #hasWork} from each path's sender.
 * No allocation per packet.
 */
public final class EarliestArrivalScheduler implements Scheduler {

    /**
     * A queue this short is light traffic, not a backlog: a few full packets, which a faster path sends in one go
     * (see {@link #holdsBack}).
     */
    static final long LIGHT_QUEUE_BYTES = 4 * 1500;

    private final MpmcVarHandleArrayQueue<Packet> queue;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final long maxQueueDelayNanos;
    private final PathSet paths = new PathSet();
    /** Whether the receiving portal holds full-size packets of shorter paths for the longest path's delay. */
    private volatile boolean peerEqualizes;

    public EarliestArrivalScheduler() {
        this(GreedyScheduler.DEFAULT_CAPACITY, 100_000_000L);
    }

    /**
     * @param capacity           packets the shared queue holds
     * @param maxQueueDelayNanos longest expected queueing delay (queued bytes over the usable paths' summed rate) a
     *                           new packet may face before it is refused
     */
    public EarliestArrivalScheduler(int capacity, long maxQueueDelayNanos) {
        if (capacity < 2) {
            throw new IllegalArgumentException("scheduler queue capacity must be at least 2, was " + capacity);
        }
        this.queue = new MpmcVarHandleArrayQueue<>(capacity);
        this.maxQueueDelayNanos = maxQueueDelayNanos;
    }

    /**
     * Tells the scheduler that the receiving portal equalizes delays (the threaded runtime's {@code DelayEqualizer}:
     * a full-size packet that arrives on a shorter path is held for the difference between the longest path's base
     * one-way delay and its own, up to {@link #EQUALIZED_SPREAD_NANOS}). Then a shorter path delivers full-size
     * packets no earlier than a longer one by its base delay, only by its queue: holding a longer path back while the
     * shorter ones could deliver the queue first gains nothing and builds a queue on the shorter paths instead.
     * Measured (lab rate-delay outbound, {@code ss -ti} of the client's cubic): the local portal kept the 40 Mbit /
     * 30 ms path idle until the 10 Mbit / 5 ms path's queue was worth 25 ms, so the inner TCP's ACKs came paced at
     * 10 Mbit/s and HyStart's ACK-train test left slow start at cwnd 28-38 (about 10 Mbit/s x the RTT); inbound,
     * whose sending portal's paths were still searching and so never held back, left it at 125-237.
     */
    @Override
    public void setPeerEqualizes(boolean equalizes) {
        this.peerEqualizes = equalizes;
    }

    /** Base one-way delay differences up to this are levelled by the peer's equalizer (its largest offset). */
    static final long EQUALIZED_SPREAD_NANOS = 150_000_000L;

    @Override
    public void addPath(PathView path) {
        paths.add(path);
    }

    @Override
    public void removePath(PathView path) {
        paths.remove(path);
    }

    @Override
    public boolean offer(Packet packet) {
        int metric = paths.lowestUsableMetric();
        if (metric == Integer.MAX_VALUE) {
            return false;
        }
        long rate = 0;
        boolean searching = false;
        for (PathView p : paths.snapshot()) {
            if (p.isUsable() && p.metric() == metric) {
                rate += Math.max(0, p.deliveryRateBytesPerSecond());
                searching |= !p.capacityKnown();
            }
        }
        long queued = queuedBytes.get();
        // While a path still searches for its capacity the summed rate understates what the paths will carry a
        // moment later; judging the queue's delay by it dropped packets of the inner TCP's first round trips, which
        // then left slow start at a fraction of the paths' capacity (lab: 8 of 50 Mbit/s for a whole 8 s flow).
        // The queue's capacity still bounds it.
        if (!searching && rate > 0 && queued > 0 && queued * 1_000_000_000L / rate > maxQueueDelayNanos) {
            return false;
        }
        if (!queue.offer(packet)) {
            return false;
        }
        queuedBytes.addAndGet(packet.length());
        return true;
    }

    @Override
    public Packet poll(PathView path) {
        if (!paths.isPreferred(path) || holdsBack(path)) {
            return null;
        }
        Packet p = queue.poll();
        if (p != null) {
            queuedBytes.addAndGet(-p.length());
        }
        return p;
    }

    @Override
    public boolean hasWork(PathView path) {
        return !queue.isEmpty() && paths.isPreferred(path) && !holdsBack(path);
    }

    /**
     * Whether {@code path} should leave the queue to faster paths: the paths of its tier with a shorter one-way delay
     * would, at their measured rates, deliver every queued byte before a packet sent on {@code path} now arrives,
     * and together they carry at least as much as {@code path}. Unmeasured paths, and paths whose capacity is not
     * known yet, hold back only from a light queue while no faster path knows its capacity (and, having no rate, are
     * not counted as faster).
     */
    boolean holdsBack(PathView path) {
        long rtt = path.smoothedRttNanos();
        if (rtt <= 0) {
            return false;
        }
        long queued = queuedBytes.get();
        // Small packets (the other direction's ACKs above all) go on a faster path whatever this one's capacity: on a
        // longer path an ACK arrives later and holds every later ACK of its flow in the receiver's reorder buffer, so
        // the inner TCP's RTT becomes two long-path delays. Measured (trace of the remote portal, rate-delay outbound):
        // the 30 ms path, still searching, carried 1.4 Mbit/s of ACKs whenever a burst of them passed the light-queue
        // limit; and once the shorter path knows its capacity (the next flow, other way) the rules below let every
        // searching or high-capacity path take ACKs (decision 22: three-unequal inbound, TCP RTT 94-111 ms).
        if (SmallPackets.leaveToFasterPath(queue.relaxedPeek(), queued, path, paths)) {
            return true;
        }
        // A path still searching for its capacity holds back only from a light queue (a few packets: the other
        // direction's ACKs, a ping) and only while every faster path is searching too (nothing is known to be full:
        // light traffic). Then a packet on it waits for its delay while a faster path is idle, and it learns nothing.
        // Measured: the remote portal sent the inner TCP's ACKs on all three paths of 8 / 25 / 60 ms (all in STARTUP,
        // carrying a trickle), the local reorder buffer held every later ACK behind the 60 ms one, and the inner TCP's
        // RTT was 115 ms instead of about 70 (three-unequal: 0.46 of the link sum). Otherwise it takes packets whatever
        // the faster paths could do, so it can learn its capacity (decision 15). Holding it back from every light
        // queue starved it in the data direction: the 18 Mbit path, in STARTUP, took each packet as it came into its
        // own link's queue, the shared queue stayed empty and the 30 Mbit path carried 0.1-0.3 Mbit/s (0.26-0.36).
        if (!path.capacityKnown() && (queued > LIGHT_QUEUE_BYTES || fasterKnowsCapacity(path, rtt))) {
            return false;
        }
        long arrival = rtt / 2;
        double fasterCanDeliver = 0;
        long fasterRate = 0;
        boolean equalized = peerEqualizes && !headIsSmall();
        for (PathView q : paths.snapshot()) {
            if (q == path || !q.isUsable() || q.metric() != path.metric()) {
                continue;
            }
            if (equalized && levelledByPeer(path, q)) {
                continue; // its full-size packets arrive with this path's base delay anyway (see setPeerEqualizes)
            }
            long qRtt = q.smoothedRttNanos();
            long qRate = q.deliveryRateBytesPerSecond();
            // Only a path with less than half this one's delay counts as faster: between paths of similar delay the
            // smoothed RTTs differ mostly by queueing noise, and holding back on that noise starved the larger of
            // two 20 ms links (lab: 10 + 20 Mbit with 20 ms RTT carried 16 of 30 Mbit/s; by capacity it carries
            // 0.9). There the scheduler is the greedy pull, and the reorder buffer absorbs the small spread.
            if (qRtt <= 0 || qRate <= 0 || qRtt >= rtt / 2) {
                continue;
            }
            fasterCanDeliver += qRate * ((arrival - qRtt / 2) / 1e9);
            fasterRate += qRate;
        }
        // A path that carries more than all faster ones together is never held back: it is where most of the
        // capacity is, and without it the flow would fall below the best single link (lab: 10 Mbit / 5 ms + 40 Mbit
        // / 30 ms stayed on the 10 Mbit link). Its rate is a capacity: application-limited samples do not lower it.
        if (path.deliveryRateBytesPerSecond() > fasterRate) {
            return false;
        }
        return fasterCanDeliver >= queued;
    }

    /**
     * Whether the packet at the head of the queue is small. A peek races with other paths' polls, so another packet
     * may be the one taken: a heuristic, which at worst sends one packet on the other kind of path.
     */
    private boolean headIsSmall() {
        return SmallPackets.isSmall(queue.relaxedPeek());
    }

    /** Whether the peer's equalizer gives full-size packets of {@code a} and {@code b} the same base delay. */
    private static boolean levelledByPeer(PathView a, PathView b) {
        long ma = a.minRttNanos();
        long mb = b.minRttNanos();
        return ma > 0 && mb > 0 && Math.abs(ma - mb) / 2 <= EQUALIZED_SPREAD_NANOS;
    }

    /** Whether a path of {@code path}'s tier with less than half its RTT knows its capacity. */
    private boolean fasterKnowsCapacity(PathView path, long rtt) {
        for (PathView q : paths.snapshot()) {
            long qRtt = q.smoothedRttNanos();
            if (q != path && q.isUsable() && q.metric() == path.metric() && qRtt > 0 && qRtt < rtt / 2
                    && q.capacityKnown()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int queuedPackets() {
        return queue.size();
    }

    @Override
    public void drainTo(Consumer<Packet> sink) {
        Packet p;
        while ((p = queue.poll()) != null) {
            queuedBytes.addAndGet(-p.length());
            sink.accept(p);
        }
    }
}
