package dev.multipath.cc;

/**
 * Token bucket that spaces frames at a pacing rate: tokens (bytes) accrue at the rate up to a burst, and a frame
 * may go when the bucket holds at least its size. Kept in byte-nanoseconds so that no fraction is lost at low
 * rates. Not thread-safe (the path's sender-side lock); no allocation.
 */
final class Pacer {

    private static final long NANOS = 1_000_000_000L;
    private final long minBurstBytes;
    private final long burstNanos;
    private long rate = 1;
    private long capacity;
    /** Tokens in byte-nanoseconds (bytes x 1e9). */
    private long tokens;
    private long lastRefill;

    /**
     * @param minBurstBytes the smallest burst allowed (typically 2 frames)
     * @param burstNanos the burst as time at the pacing rate (typically 1 ms)
     */
    Pacer(long minBurstBytes, long burstNanos, long nowNanos) {
        this.minBurstBytes = minBurstBytes;
        this.burstNanos = burstNanos;
        this.lastRefill = nowNanos;
        setRate(minBurstBytes * 100, nowNanos);
        tokens = capacity;
    }

    /** Sets the pacing rate in bytes per second (values below 1 are taken as 1). */
    void setRate(long bytesPerSecond, long nowNanos) {
        refill(nowNanos);
        rate = Math.max(1, Math.min(bytesPerSecond, 1L << 32));
        long burstBytes = Math.max(minBurstBytes, rate * burstNanos / NANOS);
        capacity = burstBytes * NANOS;
        tokens = Math.min(tokens, capacity);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastRefill;
        if (elapsed <= 0) {
            return;
        }
        lastRefill = nowNanos;
        // Cap the elapsed time so the product cannot overflow; a bucket refills in well under a second.
        elapsed = Math.min(elapsed, NANOS);
        tokens = Math.min(capacity, tokens + elapsed * rate);
    }

    /** Whether a frame of {@code bytes} may go now. */
    boolean canSend(long nowNanos, int bytes) {
        refill(nowNanos);
        return tokens >= Math.min((long) bytes * NANOS, capacity);
    }

    /** Takes a sent frame's tokens (the bucket may go negative; later frames then wait). */
    void onSent(long nowNanos, int bytes) {
        refill(nowNanos);
        tokens -= (long) bytes * NANOS;
    }

    /** The earliest time a frame of {@code bytes} may go (now if it may go now). */
    long nextSendTime(long nowNanos, int bytes) {
        refill(nowNanos);
        long need = Math.min((long) bytes * NANOS, capacity) - tokens;
        if (need <= 0) {
            return nowNanos;
        }
        return nowNanos + (need + rate - 1) / rate;
    }

    long rateBytesPerSecond() {
        return rate;
    }
}
