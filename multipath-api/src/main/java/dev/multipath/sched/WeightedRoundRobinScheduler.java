package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import java.util.function.Consumer;

/**
 * Stripes packets over the preferred paths in proportion to their measured delivery rates (smooth weighted round
 * robin, as nginx does it: each path earns its weight every turn, the richest sends and pays the total). This is what
 * most bonding tools do; it is kept for comparison in the lab, since on paths of unequal delay it reorders packets.
 * While no rate is measured all paths weigh the same. Rates are never configured: they are the paths' measurements.
 */
public final class WeightedRoundRobinScheduler implements Scheduler {

    private final Lanes lanes;

    public WeightedRoundRobinScheduler() {
        this(256);
    }

    public WeightedRoundRobinScheduler(int perPathCapacity) {
        this.lanes = new Lanes(perPathCapacity);
    }

    @Override
    public void addPath(PathView path) {
        lanes.add(path);
    }

    @Override
    public void removePath(PathView path) {
        lanes.remove(path);
    }

    @Override
    public boolean offer(Packet packet) {
        Lanes.Lane[] ls = lanes.all();
        int metric = lanes.lowestUsableMetric();
        if (metric == Integer.MAX_VALUE) {
            return false;
        }
        long total = 0;
        Lanes.Lane best = null;
        for (Lanes.Lane l : ls) {
            if (!l.path.isUsable() || l.path.metric() != metric) {
                continue;
            }
            long w = Math.max(1, l.path.deliveryRateBytesPerSecond() / 1000);
            l.weight += w;
            total += w;
            if (best == null || l.weight > best.weight) {
                best = l;
            }
        }
        best.weight -= total;
        return best.offer(packet);
    }

    @Override
    public Packet poll(PathView path) {
        return lanes.poll(path, this::offer);
    }

    @Override
    public boolean hasWork(PathView path) {
        return lanes.hasWork(path);
    }

    @Override
    public int queuedPackets() {
        return lanes.queuedPackets();
    }

    @Override
    public void setDropSink(Consumer<Packet> sink) {
        lanes.setDropSink(sink);
    }

    @Override
    public void drainTo(Consumer<Packet> sink) {
        lanes.drainTo(sink);
    }
}
