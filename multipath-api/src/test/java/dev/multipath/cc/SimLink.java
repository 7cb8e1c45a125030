package dev.multipath.cc;

import java.util.Arrays;

/**
 * A simulated one-way link for deterministic tests: a serialising bottleneck at {@code rate} with a drop-tail
 * queue of {@code queueLimitBytes}, then {@code delay}; a list of packet indices to lose; and down intervals
 * (a silent black hole) during which everything is dropped.
 */
final class SimLink {

    long rateBytesPerSecond;
    final long delayNanos;
    final long queueLimitBytes;
    private final long[] lossList;
    private long downFrom = Long.MAX_VALUE;
    private long downUntil = Long.MAX_VALUE;
    private long busyUntil;
    /**
     * When positive, the bottleneck is a token bucket of this depth (as tc tbf) instead of a serialiser: a frame
     * leaves as soon as the bucket holds its size, so after an idle moment a burst passes at line rate.
     */
    long burstBytes;
    private long lastDeparture;
    private double tokensAtLastDeparture;
    private long index;
    long tailDrops;
    long lossListDrops;
    long downDrops;
    long delivered;
    // Queueing delay of packets accepted since the last resetStats().
    long queueDelaySum;
    long queueDelayMax;
    long queueDelayCount;

    SimLink(long rateBytesPerSecond, long delayNanos, long queueLimitBytes, long... lossList) {
        this.rateBytesPerSecond = rateBytesPerSecond;
        this.delayNanos = delayNanos;
        this.queueLimitBytes = queueLimitBytes;
        this.lossList = lossList.clone();
        Arrays.sort(this.lossList);
    }

    static long mbit(double m) {
        return (long) (m * 1_000_000 / 8);
    }

    /** The link drops everything in [from, until). */
    void down(long from, long until) {
        downFrom = from;
        downUntil = until;
    }

    /** Arrival time at the far end, or -1 if dropped. */
    long send(long now, int bytes) {
        long i = index++;
        if (now >= downFrom && now < downUntil) {
            downDrops++;
            return -1;
        }
        if (Arrays.binarySearch(lossList, i) >= 0) {
            lossListDrops++;
            return -1;
        }
        if (burstBytes > 0) {
            return sendThroughBucket(now, bytes);
        }
        long backlog = Math.max(0, busyUntil - now);
        long queued = (long) (backlog * (double) rateBytesPerSecond / 1e9);
        if (queued + bytes > queueLimitBytes) {
            tailDrops++;
            return -1;
        }
        long start = Math.max(now, busyUntil);
        busyUntil = start + (long) (bytes * 1e9 / rateBytesPerSecond);
        queueDelaySum += start - now;
        queueDelayMax = Math.max(queueDelayMax, start - now);
        queueDelayCount++;
        delivered++;
        return busyUntil + delayNanos;
    }

    private long sendThroughBucket(long now, int bytes) {
        double perNano = rateBytesPerSecond / 1e9;
        long t = Math.max(now, lastDeparture);
        double tokens = Math.min(burstBytes, tokensAtLastDeparture + perNano * (t - lastDeparture));
        if (tokens < bytes) {
            t += (long) Math.ceil((bytes - tokens) / perNano);
            tokens = bytes;
        }
        if ((t - now) * perNano > queueLimitBytes) {
            tailDrops++;
            return -1;
        }
        lastDeparture = t;
        tokensAtLastDeparture = tokens - bytes;
        queueDelaySum += t - now;
        queueDelayMax = Math.max(queueDelayMax, t - now);
        queueDelayCount++;
        delivered++;
        return t + delayNanos;
    }

    void resetStats() {
        queueDelaySum = 0;
        queueDelayMax = 0;
        queueDelayCount = 0;
    }

    double meanQueueDelayMillis() {
        return queueDelayCount == 0 ? 0 : queueDelaySum / 1e6 / queueDelayCount;
    }
}
