package dev.multipath.auth;

/**
 * Sliding replay window over a session's 32-bit frame counter (RFC 6479's ring of bitmap words): accepts each
 * counter at most once, any order inside the window, and rejects counters at or below {@code highest - size}.
 *
 * <p>Sizing: frames from a fast path overtake frames from a slow one, so the window must cover every frame sent
 * during the delay spread between paths: {@code size >= packets per second x (slowest - fastest one-way delay)},
 * with a margin. The default, 8192, covers 100 kpps (about 1.1 Gbit/s of 1400-byte packets) with 80 ms of spread.
 * Memory is {@code size / 8} bytes.
 *
 * <p>Threading: {@link #accept} may be called from any number of threads; it holds one monitor for a few
 * instructions (the window moves rarely by more than one word). {@link #tooOld} reads without locking and is
 * safe because the lower edge only moves up. Nothing is allocated after construction.
 */
final class ReplayWindow {

    /** Default size in frames. */
    static final int DEFAULT_SIZE = 8192;

    private final long size;
    private final long[] ring;
    private final int mask;
    /** Highest counter accepted so far, -1 before the first. */
    private volatile long highest = -1;

    /** A window of {@code size} frames (at least 64; rounded up to a multiple of 64). */
    ReplayWindow(int size) {
        if (size < 64) {
            throw new IllegalArgumentException("replay window must be at least 64 frames, not " + size);
        }
        this.size = (size + 63L) & ~63L;
        // One spare word so that the words under the window never include the one being cleared ahead of it.
        int needed = (int) (this.size / 64) + 1;
        int words = Integer.highestOneBit(needed);
        if (words < needed) {
            words <<= 1;
        }
        this.ring = new long[words];
        this.mask = words - 1;
    }

    /** The window size in frames. */
    long size() {
        return size;
    }

    /**
     * Cheap pre-check without the lock: whether {@code counter} is certainly below the window. Lets a receiver
     * skip the AEAD for old frames; {@link #accept} makes the final decision.
     */
    boolean tooOld(long counter) {
        return counter <= highest - size;
    }

    /**
     * Records {@code counter} as seen.
     *
     * @return true if it was inside the window and not seen before; false for a replay or a counter below the
     *         window (or negative)
     */
    boolean accept(long counter) {
        if (counter < 0) {
            return false;
        }
        synchronized (this) {
            long top = highest;
            if (counter > top) {
                long topWord = top < 0 ? -1 : top >>> 6;
                long newWord = counter >>> 6;
                long toClear = Math.min(newWord - topWord, ring.length);
                for (long i = 1; i <= toClear; i++) {
                    ring[(int) ((topWord + i) & mask)] = 0L;
                }
                highest = counter;
            } else if (top - counter >= size) {
                return false;
            }
            int word = (int) ((counter >>> 6) & mask);
            long bit = 1L << (counter & 63);
            if ((ring[word] & bit) != 0) {
                return false;
            }
            ring[word] |= bit;
            return true;
        }
    }
}
