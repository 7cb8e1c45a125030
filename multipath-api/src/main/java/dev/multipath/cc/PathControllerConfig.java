package dev.multipath.cc;

/**
 * Settings of one {@link PathController}. Immutable; durations in nanoseconds, sizes in bytes. Start from
 * {@link #defaults()} and change what differs with the {@code with...} methods.
 *
 * @param controller congestion controller name: "bbr" or "cubic" (see {@link CongestionControllers})
 * @param maxFrameSize the path's largest frame (its MSS for the controllers)
 * @param trackerCapacity most frames in flight at once (ring size)
 * @param initialRttNanos RTT assumed before the first sample
 * @param minRttWindowNanos how long a min-RTT sample stays valid
 * @param ackEveryFrames receiver: an ACK is due after this many frames
 * @param maxAckDelayNanos receiver: the longest a frame waits for its ACK (also capped at a quarter RTT)
 * @param ackListedCounters receiver: counters listed per ACK, the highest included (1..33)
 * @param probeIntervalNanos probe when nothing was heard for this long while carrying traffic
 * @param idleProbeIntervalNanos the same when idle
 * @param idleAfterNanos a path is idle when no data was sent on it for this long
 * @param deadAfterNanos declare dead when a frame went unanswered this long (at least 2 x srtt)
 * @param deadProbeIntervalNanos probe interval of a dead path
 * @param pacingBurstNanos pacer burst, as time at the pacing rate (at least 2 frames)
 * @param rateWindowNanos window of the max filter behind {@link PathController#deliveryRate()}
 */
public record PathControllerConfig(String controller, int maxFrameSize, int trackerCapacity, long initialRttNanos,
        long minRttWindowNanos, int ackEveryFrames, long maxAckDelayNanos, int ackListedCounters,
        long probeIntervalNanos, long idleProbeIntervalNanos, long idleAfterNanos, long deadAfterNanos,
        long deadProbeIntervalNanos, long pacingBurstNanos, long rateWindowNanos) {

    /** The default controller, chosen by measurement (docs/decisions.md, "Default congestion controller"). */
    public static final String DEFAULT_CONTROLLER = "bbr";
    private static final long MS = 1_000_000L;

    public PathControllerConfig {
        if (!CongestionControllers.isKnown(controller) || maxFrameSize < 64 || trackerCapacity < 16
                || initialRttNanos <= 0 || ackEveryFrames < 1 || maxAckDelayNanos <= 0 || ackListedCounters < 1
                || ackListedCounters > AckInfo.MAX_RECENT + 1 || probeIntervalNanos <= 0
                || idleProbeIntervalNanos <= 0 || deadAfterNanos <= 0 || deadProbeIntervalNanos <= 0
                || pacingBurstNanos <= 0 || rateWindowNanos <= 0 || minRttWindowNanos <= 0 || idleAfterNanos <= 0) {
            throw new IllegalArgumentException("invalid path controller config");
        }
    }

    /**
     * Defaults: {@value #DEFAULT_CONTROLLER}, 1472-byte frames (1500 - IPv4 - UDP), 16384 frames in flight,
     * 100 ms initial RTT, 10 s min-RTT window, ACK every 2 frames or 5 ms, 16 counters per ACK, probe after
     * 100 ms of silence (250 ms when idle, idle after 1 s), dead after 300 ms unanswered, dead paths probed every
     * 50 ms, 1 ms pacing bursts, 500 ms rate window. Failover budget: 300 ms to declare a busy path dead; a path
     * that comes back is re-admitted within 50 ms plus an RTT (20 small probes a second while it is dead).
     */
    public static PathControllerConfig defaults() {
        return new PathControllerConfig(DEFAULT_CONTROLLER, 1472, 16384, 100 * MS, 10_000 * MS, 2, 5 * MS, 16,
                100 * MS, 250 * MS, 1000 * MS, 300 * MS, 50 * MS, 1 * MS, 500 * MS);
    }

    public PathControllerConfig withController(String name) {
        return new PathControllerConfig(name, maxFrameSize, trackerCapacity, initialRttNanos, minRttWindowNanos,
                ackEveryFrames, maxAckDelayNanos, ackListedCounters, probeIntervalNanos, idleProbeIntervalNanos,
                idleAfterNanos, deadAfterNanos, deadProbeIntervalNanos, pacingBurstNanos, rateWindowNanos);
    }

    public PathControllerConfig withMaxFrameSize(int bytes) {
        return new PathControllerConfig(controller, bytes, trackerCapacity, initialRttNanos, minRttWindowNanos,
                ackEveryFrames, maxAckDelayNanos, ackListedCounters, probeIntervalNanos, idleProbeIntervalNanos,
                idleAfterNanos, deadAfterNanos, deadProbeIntervalNanos, pacingBurstNanos, rateWindowNanos);
    }

    public PathControllerConfig withHealth(long probeInterval, long idleProbeInterval, long deadAfter,
            long deadProbeInterval) {
        return new PathControllerConfig(controller, maxFrameSize, trackerCapacity, initialRttNanos,
                minRttWindowNanos, ackEveryFrames, maxAckDelayNanos, ackListedCounters, probeInterval,
                idleProbeInterval, idleAfterNanos, deadAfter, deadProbeInterval, pacingBurstNanos, rateWindowNanos);
    }

    PathControllerConfig withAcks(int everyFrames, long maxDelayNanos, int listedCounters) {
        return new PathControllerConfig(controller, maxFrameSize, trackerCapacity, initialRttNanos,
                minRttWindowNanos, everyFrames, maxDelayNanos, listedCounters, probeIntervalNanos,
                idleProbeIntervalNanos, idleAfterNanos, deadAfterNanos, deadProbeIntervalNanos, pacingBurstNanos,
                rateWindowNanos);
    }
}
