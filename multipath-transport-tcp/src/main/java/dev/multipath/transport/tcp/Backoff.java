package dev.multipath.transport.tcp;

/**
 * Exponential reconnect backoff: starts at {@code initialMillis}, doubles per failure up to {@code maxMillis},
 * and returns to the start after a success. Not thread-safe: owned by the connecting thread.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long next;

    Backoff(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.next = initialMillis;
    }

    /** The delay before the next attempt; each call doubles the one after it, up to the maximum. */
    long nextDelayMillis() {
        long d = next;
        next = Math.min(maxMillis, next * 2);
        return d;
    }

    /** Called after a successful connection. */
    void reset() {
        next = initialMillis;
    }
}
