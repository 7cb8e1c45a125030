package dev.multipath.stats;

import dev.multipath.api.DropReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** One counter per {@link DropReason}; increments are lock-free and allocate nothing. */
public final class DropCounters {

    private final AtomicLongArray counts = new AtomicLongArray(DropReason.values().length);

    public void increment(DropReason reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    public long get(DropReason reason) {
        return counts.get(reason.ordinal());
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    /** Non-zero counters, for display. */
    public Map<DropReason, Long> nonZero() {
        Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
        for (DropReason r : DropReason.values()) {
            long v = get(r);
            if (v != 0) {
                m.put(r, v);
            }
        }
        return m;
    }
}
