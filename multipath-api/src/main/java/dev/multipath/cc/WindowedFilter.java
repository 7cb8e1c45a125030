package dev.multipath.cc;

/**
 * Windowed running maximum or minimum (Kathleen Nichols' algorithm, as in BBR's minmax.c): keeps the best,
 * second best and third best samples of the window so that the estimate ages out smoothly. The window is in any
 * monotonic unit (nanoseconds, round-trip counts). O(1) per update, no allocation. Not thread-safe.
 */
final class WindowedFilter {

    private final boolean max;
    private final long window;
    private final long[] value = new long[3];
    private final long[] time = new long[3];
    private boolean empty = true;

    /**
     * @param max true for a running maximum, false for a running minimum
     * @param window how long (in the caller's time unit) a sample stays eligible
     */
    WindowedFilter(boolean max, long window) {
        this.max = max;
        this.window = window;
    }

    private boolean better(long a, long b) {
        return max ? a >= b : a <= b;
    }

    /** Forgets every sample and starts over with {@code v} at time {@code t}. */
    void reset(long v, long t) {
        for (int i = 0; i < 3; i++) {
            value[i] = v;
            time[i] = t;
        }
        empty = false;
    }

    /** Forgets every sample. */
    void clear() {
        empty = true;
    }

    boolean isEmpty() {
        return empty;
    }

    /** Adds sample {@code v} taken at time {@code t} and returns the current best. */
    long update(long v, long t) {
        if (empty || better(v, value[0]) || t - time[2] > window) {
            reset(v, t);
            return v;
        }
        if (better(v, value[1])) {
            value[1] = value[2] = v;
            time[1] = time[2] = t;
        } else if (better(v, value[2])) {
            value[2] = v;
            time[2] = t;
        }
        long dt = t - time[0];
        if (dt > window) {
            value[0] = value[1];
            time[0] = time[1];
            value[1] = value[2];
            time[1] = time[2];
            value[2] = v;
            time[2] = t;
            if (t - time[0] > window) {
                value[0] = value[1];
                time[0] = time[1];
                value[1] = value[2];
                time[1] = time[2];
            }
        } else if (time[1] == time[0] && dt > window / 4) {
            value[2] = value[1] = v;
            time[2] = time[1] = t;
        } else if (time[2] == time[1] && dt > window / 2) {
            value[2] = v;
            time[2] = t;
        }
        return value[0];
    }

    /** The current best, or {@code fallback} when empty. */
    long get(long fallback) {
        return empty ? fallback : value[0];
    }
}
