package dev.multipath.auth;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The seed's freshness check on time, made meaningful without synchronised clocks. Every frame carries the
 * sender's clock in milliseconds modulo 65536 (authenticated). For each frame the receiver computes
 * {@code offset = (receiver ms - sender ms) mod 65536}, which is the clock difference plus this frame's one-way
 * delay. The smallest offset seen in the session is the clock difference plus the smallest delay; a frame whose
 * offset exceeds that minimum by more than the bound has been held back (by a queue or by someone on the path)
 * for longer than any path's delay spread explains, and is dropped as stale.
 *
 * <p>An attacker can only delay authenticated frames, never make them earlier, so it cannot lower the minimum.
 * Clock drift raises the offsets slowly (100 ppm is 18 ms over a 180 s session) and each rekey starts a new
 * check. Delays are only known modulo 65.536 s: a frame held for a multiple of that looks fresh here, and is
 * bounded instead by the session lifetime and the replay window (docs/security.md).
 *
 * <p>Threading: lock-free (one CAS when a new minimum is seen); nothing is allocated.
 */
final class FreshnessCheck {

    private static final int UNSET = Integer.MIN_VALUE;

    private final int boundMillis;
    private final AtomicInteger minOffset = new AtomicInteger(UNSET);

    /** @param boundMillis largest extra delay accepted, 0 for no check */
    FreshnessCheck(int boundMillis) {
        this.boundMillis = boundMillis;
    }

    /**
     * @param senderMillis16 the frame's header timestamp (sender ms mod 65536)
     * @param nowNanos       the receiver's clock
     * @return true if the frame is fresh enough
     */
    boolean isFresh(int senderMillis16, long nowNanos) {
        if (boundMillis == 0) {
            return true;
        }
        int offset = (headerMillis(nowNanos) - senderMillis16) & 0xffff;
        while (true) {
            int min = minOffset.get();
            if (min == UNSET) {
                if (minOffset.compareAndSet(UNSET, offset)) {
                    return true;
                }
                continue;
            }
            int extra = (short) (offset - min); // signed distance modulo 65536
            if (extra >= 0) {
                return extra <= boundMillis;
            }
            if (minOffset.compareAndSet(min, offset)) {
                return true;
            }
        }
    }

    /** Millisecond timestamp to write into a header: {@code nanos / 1e6 mod 65536}. */
    static int headerMillis(long nanos) {
        return (int) Math.floorDiv(nanos, 1_000_000L) & 0xffff;
    }
}
