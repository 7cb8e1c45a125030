package dev.multipath.engine;

/**
 * CoDel (RFC 8289) on the dequeue side of a path's sender: when packets have waited in the portal's queue longer
 * than {@link #TARGET_NANOS} for at least {@link #INTERVAL_NANOS}, drop one, then drop more often (interval / sqrt of
 * the count) until the wait falls below the target. The inner TCP then gets its congestion signal after a few
 * milliseconds of standing queue instead of after a full buffer, so latency under load stays near the idle RTT.
 *
 * <p>Sans-IO and single-threaded: one instance per path, used only by that path's sender. No allocation.
 */
public final class CoDel {

    /**
     * Acceptable standing queue delay. 20 ms, not RFC 8289's 5. With 5 the queue held a fifth of a 20 ms RTT path's
     * BDP, and after each drop the inner cubic's window cut left the links below their rate until it grew back
     * (decision 42). With 10, inner BBR v1 (whose window is 2 BDP plus an aggregation allowance the tunnel's in-order
     * bursts inflate) kept a queue above target that drops did not shorten: 0.903-0.911 of the link sum at 20 ms RTT
     * and hundreds of retransmissions per flow. With 20 it got 0.911-0.915 with 3-4 times fewer retransmissions and
     * inner cubic was equal or better; the price is latency under load through one 10 Mbit link, 25-26 ms against
     * 17-20 (the bare link 45; decision 48).
     */
    static final long TARGET_NANOS = 20_000_000L;
    /** Window over which the queue delay must stay above target before dropping: about a worst-case RTT. */
    static final long INTERVAL_NANOS = 100_000_000L;

    private long firstAboveTime;
    private long dropNext;
    private int count;
    private int lastCount;
    private boolean dropping;

    /**
     * A packet that entered the queue at {@code enqueuedNanos} is being dequeued at {@code nowNanos}.
     *
     * @param queueEmptyAfter whether the queue is (nearly) empty after this packet: no standing queue then
     * @return true if the packet is to be dropped instead of sent
     */
    public boolean shouldDrop(long enqueuedNanos, long nowNanos, boolean queueEmptyAfter) {
        long sojourn = nowNanos - enqueuedNanos;
        boolean okToDrop = false;
        if (sojourn < TARGET_NANOS || queueEmptyAfter) {
            firstAboveTime = 0;
        } else if (firstAboveTime == 0) {
            firstAboveTime = nowNanos + INTERVAL_NANOS;
        } else if (nowNanos >= firstAboveTime) {
            okToDrop = true;
        }
        if (dropping) {
            if (!okToDrop) {
                dropping = false;
                return false;
            }
            if (nowNanos >= dropNext) {
                count++;
                dropNext = controlLaw(dropNext, count);
                return true;
            }
            return false;
        }
        if (okToDrop) {
            dropping = true;
            int delta = count - lastCount;
            count = delta > 1 && nowNanos - dropNext < 16 * INTERVAL_NANOS ? delta : 1;
            dropNext = controlLaw(nowNanos, count);
            lastCount = count;
            return true;
        }
        return false;
    }

    private static long controlLaw(long t, int count) {
        return t + (long) (INTERVAL_NANOS / Math.sqrt(count));
    }

    /** Whether it is in the dropping state (for tests and status). */
    boolean dropping() {
        return dropping;
    }
}
