package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * Sends each packet on the path where it is expected to arrive first (the EDPF / ECF family): for every preferred
 * path, expected arrival = bytes already queued for it plus this packet, at its measured delivery rate, plus its
 * one-way delay (half the smoothed RTT). A slow, long path is used only when the fast one's backlog would make a packet
 * arrive later than over the slow path, so packets arrive nearly in the order they were sent and inner TCP does not see
 * reordering as loss.
 *
 * <p>Each path has its own short queue; a packet whose expected arrival is more than {@code maxQueueDelayNanos} beyond
 * the best path's one-way delay is refused (tail drop), which keeps the portal's own queueing delay bounded. While a
 * path's rate is still unknown it counts as the slowest known rate, so new paths are tried but not flooded; while no
 * path's rate is known, packets join the shortest queue.
 *
 * <p>Threading: {@link #offer} from the single source reader; {@link #poll} from each path's sender. A path that is no
 * longer usable hands its queued packets back to the others on its sender's next poll.
 */
public final class EarliestArrivalScheduler implements Scheduler {

    /** Packets a path may have queued while no rate is measured (shortest-queue mode). */
    static final int UNMEASURED_LANE_LIMIT = 64;

    private final int perPathCapacity;
    private final long maxQueueDelayNanos;
    private volatile Lane[] lanes = new Lane[0];

    /** One path's queue and backlog. */
    private static final class Lane {
        final PathView path;
        final MpscVarHandleArrayQueue<Packet> queue;
        final java.util.concurrent.atomic.AtomicLong queuedBytes = new java.util.concurrent.atomic.AtomicLong();

        Lane(PathView path, int capacity) {
            this.path = path;
            this.queue = new MpscVarHandleArrayQueue<>(capacity);
        }
    }

    public EarliestArrivalScheduler() {
        this(256, 100_000_000L);
    }

    /**
     * @param perPathCapacity    packets each path may have queued
     * @param maxQueueDelayNanos longest queueing delay a packet may be expected to see before it is dropped instead
     */
    public EarliestArrivalScheduler(int perPathCapacity, long maxQueueDelayNanos) {
        this.perPathCapacity = perPathCapacity;
        this.maxQueueDelayNanos = maxQueueDelayNanos;
    }

    @Override
    public synchronized void addPath(PathView path) {
        Lane[] a = Arrays.copyOf(lanes, lanes.length + 1);
        a[a.length - 1] = new Lane(path, perPathCapacity);
        lanes = a;
    }

    @Override
    public synchronized void removePath(PathView path) {
        lanes = Arrays.stream(lanes).filter(l -> l.path != path).toArray(Lane[]::new);
    }

    @Override
    public boolean offer(Packet packet) {
        Lane[] ls = lanes;
        int metric = lowestUsableMetric(ls);
        if (metric == Integer.MAX_VALUE) {
            return false;
        }
        long slowestKnown = 0;
        for (Lane l : ls) {
            long r = l.path.deliveryRateBytesPerSecond();
            if (l.path.isUsable() && l.path.metric() == metric && r > 0 && (slowestKnown == 0 || r < slowestKnown)) {
                slowestKnown = r;
            }
        }
        int size = packet.length();
        Lane best = slowestKnown == 0 ? shortestQueue(ls, metric) : earliestArrival(ls, metric, slowestKnown, size);
        if (best == null) {
            return false;
        }
        if (!best.queue.offer(packet)) {
            return false;
        }
        best.queuedBytes.addAndGet(size);
        return true;
    }

    /** While no rate is known (just started, or transports that do not measure): join the shortest queue. */
    private Lane shortestQueue(Lane[] ls, int metric) {
        Lane best = null;
        for (Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() == metric && l.queue.size() < UNMEASURED_LANE_LIMIT
                    && (best == null || l.queuedBytes.get() < best.queuedBytes.get())) {
                best = l;
            }
        }
        return best;
    }

    private Lane earliestArrival(Lane[] ls, int metric, long fallbackRate, int size) {
        Lane best = null;
        long bestArrival = Long.MAX_VALUE;
        long bestDelay = Long.MAX_VALUE;
        for (Lane l : ls) {
            PathView p = l.path;
            if (!p.isUsable() || p.metric() != metric) {
                continue;
            }
            long rate = p.deliveryRateBytesPerSecond();
            if (rate <= 0) {
                rate = fallbackRate;
            }
            long oneWay = p.smoothedRttNanos() / 2;
            long queueing = (l.queuedBytes.get() + p.queuedBytes() + size) * 1_000_000_000L / rate;
            long arrival = oneWay + queueing;
            if (arrival < bestArrival) {
                bestArrival = arrival;
                best = l;
            }
            bestDelay = Math.min(bestDelay, oneWay);
        }
        return best == null || bestArrival - bestDelay > maxQueueDelayNanos ? null : best;
    }

    @Override
    public Packet poll(PathView path) {
        Lane l = laneOf(path);
        if (l == null) {
            return null;
        }
        if (!path.isUsable()) {
            rescue(l);
            return null;
        }
        Packet p = l.queue.poll();
        if (p != null) {
            l.queuedBytes.addAndGet(-p.length());
        }
        return p;
    }

    /** Moves a dead path's packets to the others; those that fit nowhere are lost (counted by the caller's stats). */
    private void rescue(Lane dead) {
        Packet p;
        while ((p = dead.queue.poll()) != null) {
            dead.queuedBytes.addAndGet(-p.length());
            if (!offer(p)) {
                rescued.accept(p);
            }
        }
    }

    private volatile Consumer<Packet> rescued = p -> { };

    @Override
    public void setDropSink(Consumer<Packet> sink) {
        this.rescued = sink;
    }

    @Override
    public boolean hasWork(PathView path) {
        Lane l = laneOf(path);
        return l != null && !l.queue.isEmpty();
    }

    @Override
    public int queuedPackets() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.queue.size();
        }
        return n;
    }

    @Override
    public void drainTo(Consumer<Packet> sink) {
        for (Lane l : lanes) {
            Packet p;
            while ((p = l.queue.poll()) != null) {
                l.queuedBytes.addAndGet(-p.length());
                sink.accept(p);
            }
        }
    }

    private Lane laneOf(PathView path) {
        for (Lane l : lanes) {
            if (l.path == path) {
                return l;
            }
        }
        return null;
    }

    private static int lowestUsableMetric(Lane[] ls) {
        int best = Integer.MAX_VALUE;
        for (Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() < best) {
                best = l.path.metric();
            }
        }
        return best;
    }
}
