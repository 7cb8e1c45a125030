package dev.multipath.engine;

/**
 * How long the reorder buffer may hold a packet for an earlier one of its flow: the one-way delay spread between the
 * usable paths plus a margin, plus a boost learned from late arrivals. The spread comes from smoothed RTTs, which lag
 * a queue that builds on one path in a few milliseconds (a path in STARTUP, a rate estimate still too high); packets
 * then arrive after the buffer gave up on them, and the inner TCP takes the reordering for loss. Each update that
 * saw new late arrivals doubles the boost (from {@link #FIRST_BOOST_NANOS}); one without them lets it decay by an
 * eighth, so a packet really lost on a path stalls its flow longer only while paths disagree. Measured in the lab
 * (4 x 10 Mbit, the first inbound flow): 650 timeouts and 900 late arrivals in 3 s with the spread alone (bound
 * 9-14 ms), the flow held at 27 of 37 Mbit/s for 2.5 s.
 *
 * <p>Sans-IO, single-threaded (the packet-source writer), no allocation.
 */
final class HoldBound {

    /**
     * Added to the spread: 10 ms (decision 42). With CoDel's target (10 ms then, 20 since decision 48) the paths'
     * queues, and so the spread, move by more than the smoothed RTTs show; the 5 ms margin alone gained nothing, the
     * two together 0.2-0.5 points at 20 ms RTT. The cost: a packet really lost holds the later packets of its flow
     * 5 ms longer.
     */
    static final long MARGIN_NANOS = 10_000_000L;
    static final long MIN_NANOS = 5_000_000L;
    static final long MAX_NANOS = 300_000_000L;
    static final long FIRST_BOOST_NANOS = 5_000_000L;
    /** The boost alone never exceeds this: a lost packet stalls its flow at most this much longer. */
    static final long MAX_BOOST_NANOS = 80_000_000L;

    private long boostNanos;
    private long lastLateArrivals;
    private long spreadMin;
    private long spreadMax;

    /**
     * @param spreadNanos      the one-way delay spread between the usable paths (0 with one path)
     * @param lateArrivalsTotal the reorder buffer's late-arrival count so far
     * @return the hold bound to use until the next update
     */
    long update(long spreadNanos, long lateArrivalsTotal) {
        if (lateArrivalsTotal > lastLateArrivals) {
            boostNanos = Math.min(MAX_BOOST_NANOS, Math.max(FIRST_BOOST_NANOS, 2 * boostNanos));
        } else {
            boostNanos -= boostNanos / 8;
            if (boostNanos < 1_000_000L) {
                boostNanos = 0;
            }
        }
        lastLateArrivals = lateArrivalsTotal;
        return Math.max(MIN_NANOS, Math.min(MAX_NANOS, Math.max(0, spreadNanos) + MARGIN_NANOS + boostNanos));
    }

    /**
     * A path's one-way delay in the direction that carries the data, from what the receiving portal measures: half the
     * path's minimum RTT (propagation, split evenly) plus all of its smoothed RTT's excess over that minimum. The
     * excess is queueing, and on a path carrying one direction's bulk the queue is in that direction only, yet the
     * receiver's RTT samples contain it whole (its ACKs travel behind the data), so half the smoothed RTT showed half
     * the queue. Measured (trace, rate-delay outbound, the remote portal): the 30 ms path at 60 ms min and 87 ms
     * smoothed RTT, read as 43.5 ms one way where its data took about 57; the reorder buffer gave up 159 gaps whose
     * packets then arrived (784 late arrivals in 26 s). Without a min RTT yet, half the smoothed RTT.
     */
    static long oneWayDelayNanos(long smoothedRttNanos, long minRttNanos) {
        if (minRttNanos <= 0 || minRttNanos > smoothedRttNanos) {
            return smoothedRttNanos / 2;
        }
        return minRttNanos / 2 + (smoothedRttNanos - minRttNanos);
    }

    /** Starts a spread measurement: then {@link #addPath} for each usable path, then {@link #spreadNanos}. */
    void beginSpread() {
        spreadMin = Long.MAX_VALUE;
        spreadMax = 0;
    }

    /** A usable path's smoothed and min RTT (0 while unknown; a path without a smoothed RTT is left out). */
    void addPath(long smoothedRttNanos, long minRttNanos) {
        if (smoothedRttNanos > 0) {
            spreadMin = Math.min(spreadMin, baseOneWayDelayNanos(smoothedRttNanos, minRttNanos));
            spreadMax = Math.max(spreadMax, oneWayDelayNanos(smoothedRttNanos, minRttNanos));
        }
    }

    /**
     * The one-way delay spread between the paths added: the longest one-way delay now ({@link #oneWayDelayNanos},
     * queue included) less the shortest propagation delay ({@link #baseOneWayDelayNanos}); 0 with fewer than one path.
     */
    long spreadNanos() {
        return spreadMax > 0 ? spreadMax - spreadMin : 0;
    }

    /**
     * A path's propagation delay one way (half its min RTT; without one, {@link #oneWayDelayNanos}): the earliest a
     * packet sent on it can arrive. The spread subtracts the fastest path's base delay, not its delay now, because a
     * packet sent on a path with the shortest base delay but waiting in that path's queue is not what the buffer
     * waits out; the later packet of a gap may come on that path the moment its queue drains while the earlier one
     * still crosses the slowest path. Measured (lab three-unequal, the first outbound flow, remote portal's trace): the
     * 8 ms path stood at 54 ms smoothed RTT in its STARTUP, the spread read as the 60 ms path's delay less the 25 ms
     * path's, the bound fell from 51-55 to 39.7 ms, one gap was given up and its two packets arrived late; the inner
     * cubic took that for loss (two retransmissions, ssthresh 176) and then needed 6 s to grow back, 28.6 Mbit/s over
     * the flow against 45-47 for a flow without the false loss.
     */
    static long baseOneWayDelayNanos(long smoothedRttNanos, long minRttNanos) {
        long now = oneWayDelayNanos(smoothedRttNanos, minRttNanos);
        return minRttNanos > 0 ? Math.min(now, minRttNanos / 2) : now;
    }

    long boostNanos() {
        return boostNanos;
    }
}
