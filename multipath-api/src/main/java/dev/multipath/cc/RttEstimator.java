package dev.multipath.cc;

/**
 * Round-trip time estimate of one path, RFC 6298 / RFC 9002 style: smoothed RTT (gain 1/8), RTT variance
 * (gain 1/4), the latest sample, and a minimum over a sliding window (default 10 s) so that a route change to a
 * longer path is eventually noticed. The peer's ACK hold time is subtracted from a sample unless that would go
 * below the minimum (RFC 9002 section 5.3).
 *
 * <p>Threading: not thread-safe (owned by the path's sender-side lock), except that {@link #smoothedRttNanos()}
 * and {@link #minRttNanos()} may be read from any thread (volatile).
 */
final class RttEstimator {

    private final long initialRttNanos;
    private final WindowedFilter minFilter;
    private volatile long smoothed;
    private long variance;
    private long latest;
    private volatile long min;
    private boolean hasSample;

    /**
     * @param initialRttNanos the RTT assumed before the first sample (RFC 9002 uses 333 ms; a tunnel's links
     *        are usually known to be faster, so callers may choose less)
     * @param minRttWindowNanos how long a minimum sample stays valid
     */
    RttEstimator(long initialRttNanos, long minRttWindowNanos) {
        this.initialRttNanos = initialRttNanos;
        this.minFilter = new WindowedFilter(false, minRttWindowNanos);
        reset();
    }

    /** Back to the state before any sample. */
    void reset() {
        smoothed = initialRttNanos;
        variance = initialRttNanos / 2;
        latest = initialRttNanos;
        min = 0;
        hasSample = false;
        minFilter.clear();
    }

    /**
     * Adds a sample.
     *
     * @param rawRttNanos time from sending a frame to receiving its acknowledgement
     * @param ackDelayNanos how long the peer held the frame before acknowledging it (0 if unknown)
     * @return the adjusted sample fed into the smoothed RTT, or -1 if the sample was rejected (not positive)
     */
    long onSample(long rawRttNanos, long ackDelayNanos, long nowNanos) {
        if (rawRttNanos <= 0) {
            return -1;
        }
        long m = minFilter.update(rawRttNanos, nowNanos);
        min = m;
        long adjusted = rawRttNanos;
        if (ackDelayNanos > 0 && rawRttNanos - ackDelayNanos >= m) {
            adjusted = rawRttNanos - ackDelayNanos;
        }
        latest = adjusted;
        if (!hasSample) {
            hasSample = true;
            smoothed = adjusted;
            variance = adjusted / 2;
        } else {
            long s = smoothed;
            variance = (3 * variance + Math.abs(s - adjusted)) / 4;
            smoothed = (7 * s + adjusted) / 8;
        }
        return adjusted;
    }

    /**
     * A sample taken while the path carried nothing (a probe on an idle path): no queue of ours is in it, so it is
     * the path's RTT now and replaces the smoothed value instead of moving it by 1/8. Without this, a path that
     * stopped carrying traffic kept the RTT of its last busy moment (its bottleneck queue) for seconds, since
     * idle probes come only every 100-250 ms; the earliest-arrival scheduler then judged it too slow to use
     * (lab, 10 Mbit / 5 ms + 40 Mbit / 30 ms: the 40 Mbit path idle for 8 s of a flow).
     *
     * @return the sample, or -1 if rejected (not positive)
     */
    long onIdleSample(long rawRttNanos, long nowNanos) {
        if (rawRttNanos <= 0) {
            return -1;
        }
        min = minFilter.update(rawRttNanos, nowNanos);
        latest = rawRttNanos;
        smoothed = rawRttNanos;
        variance = hasSample ? Math.max(variance, rawRttNanos / 4) : rawRttNanos / 2;
        hasSample = true;
        return rawRttNanos;
    }

    boolean hasSample() {
        return hasSample;
    }

    long smoothedRttNanos() {
        return smoothed;
    }

    long rttVarianceNanos() {
        return variance;
    }

    long latestRttNanos() {
        return latest;
    }

    /** The windowed minimum RTT, 0 before the first sample. */
    long minRttNanos() {
        return min;
    }

    /** RACK / RFC 9002 time threshold: 9/8 of max(smoothed, latest). */
    long lossDelayNanos() {
        return Math.max(smoothed, latest) * 9 / 8;
    }

    /** Retransmission-timeout-like expiry for a frame that no later ACK accounts for: srtt + 4 rttvar, at least 2 srtt. */
    long expiryNanos(long maxAckDelayNanos) {
        return Math.max(smoothed + 4 * variance + maxAckDelayNanos, 2 * smoothed);
    }
}
