package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CoDelTest {

    private static final long MS = 1_000_000L;

    @Test
    void aShortQueueIsNeverDropped() {
        // 19 ms of standing queue is within the 20 ms target (decision 48); with RFC 8289's 5 ms it was dropped.
        CoDel c = new CoDel();
        for (long t = 0; t < 2000 * MS; t += MS) {
            assertThat(c.shouldDrop(t - 19 * MS, t, false)).isFalse();
        }
    }

    @Test
    void aStandingQueueIsDroppedAfterOneIntervalThenMoreOften() {
        CoDel c = new CoDel();
        long firstDrop = -1;
        long drops = 0;
        long lastGap = Long.MAX_VALUE;
        long lastDrop = -1;
        boolean gapsShrink = true;
        for (long t = 0; t < 1000 * MS; t += MS) {
            if (c.shouldDrop(t - 30 * MS, t, false)) {
                drops++;
                if (firstDrop < 0) {
                    firstDrop = t;
                } else {
                    long gap = t - lastDrop;
                    gapsShrink &= gap <= lastGap;
                    lastGap = gap;
                }
                lastDrop = t;
            }
        }
        assertThat(firstDrop).isBetween(CoDel.INTERVAL_NANOS, CoDel.INTERVAL_NANOS + 2 * MS);
        assertThat(drops).isBetween(5L, 40L);
        assertThat(gapsShrink).isTrue();
    }

    @Test
    void droppingStopsWhenTheQueueDrains() {
        CoDel c = new CoDel();
        long t = 0;
        for (; t < 300 * MS; t += MS) {
            c.shouldDrop(t - 30 * MS, t, false);
        }
        assertThat(c.dropping()).isTrue();
        assertThat(c.shouldDrop(t - 1 * MS, t, false)).isFalse();
        assertThat(c.dropping()).isFalse();
        assertThat(c.shouldDrop(t - 50 * MS, t + MS, true)).isFalse(); // an emptying queue is no standing queue
    }
}
