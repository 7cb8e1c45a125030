package dev.multipath.sched;

import dev.multipath.buffer.Packet;

/**
 * Stripes packets over the preferred paths in proportion to their measured delivery rates (smooth weighted round
 * robin, as nginx does it: each path earns its weight every turn, the richest sends and pays the total). This is what
 * most bonding tools do; it is kept for comparison in the lab, since on paths of unequal delay it reorders packets.
 * While no rate is measured all paths weigh the same. Rates are never configured: they are the paths' measurements.
 */
public final class WeightedRoundRobinScheduler extends LaneScheduler {

    public WeightedRoundRobinScheduler() {
        this(256);
    }

    public WeightedRoundRobinScheduler(int perPathCapacity) {
        super(perPathCapacity);
    }

    @Override
    Lanes.Lane choose(Lanes.Lane[] ls, int metric, Packet packet) {
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
        if (best != null) {
            best.weight -= total;
        }
        return best;
    }
}
