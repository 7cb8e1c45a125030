package dev.multipath.auth;

/**
 * A token bucket on the caller's clock: {@code ratePerSecond} tokens per second, at most {@code burst} saved.
 * Not thread-safe; the authenticator uses it under its handshake lock.
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long lastNanos;
    private boolean started;

    TokenBucket(double ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    /** Takes one token if there is one. */
    boolean tryTake(long nowNanos) {
        if (started) {
            long elapsed = nowNanos - lastNanos;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            }
        }
        if (!started || nowNanos - lastNanos > 0) {
            lastNanos = nowNanos;
        }
        started = true;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
