package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class FreshnessCheckTest {

    private static final long MS = 1_000_000L;

    /** Any clock offset between the portals, any path delays within the bound: all accepted. */
    @Property
    void acceptsDelaySpreadWithinTheBoundWhateverTheClockOffset(@ForAll @LongRange(min = -(1L << 60), max = 1L << 60) long senderClockOffset,
            @ForAll @LongRange(min = 0, max = 1L << 50) long start, @ForAll @IntRange(min = 0, max = 2000) int spreadMs) {
        FreshnessCheck f = new FreshnessCheck(2000);
        for (int i = 0; i < 200; i++) {
            long sendNanos = start + i * 10 * MS;
            long delay = 5 * MS + (i % 2 == 0 ? 0 : spreadMs * MS); // two paths
            int ts = FreshnessCheck.headerMillis(sendNanos + senderClockOffset);
            assertThat(f.isFresh(ts, sendNanos + delay)).isTrue();
        }
    }

    /** 2002 ms, not 2001: both clocks are truncated to whole milliseconds, which can hide one. */
    @Property
    void rejectsAFrameHeldBackLongerThanTheBound(@ForAll @LongRange(min = -(1L << 60), max = 1L << 60) long senderClockOffset,
            @ForAll @LongRange(min = 0, max = 1L << 50) long start, @ForAll @IntRange(min = 2002, max = 30000) int heldMs) {
        FreshnessCheck f = new FreshnessCheck(2000);
        int early = FreshnessCheck.headerMillis(start + senderClockOffset);
        assertThat(f.isFresh(early, start + 20 * MS)).isTrue();
        int held = FreshnessCheck.headerMillis(start + 10 * MS + senderClockOffset);
        assertThat(f.isFresh(held, start + 10 * MS + 20 * MS + heldMs * MS)).isFalse();
    }

    @Test
    void aDelayedFirstFrameDoesNotSpoilLaterOnes() {
        FreshnessCheck f = new FreshnessCheck(1000);
        assertThat(f.isFresh(FreshnessCheck.headerMillis(0), 1500 * MS)).isTrue(); // first frame was late
        assertThat(f.isFresh(FreshnessCheck.headerMillis(2000 * MS), 2010 * MS)).isTrue(); // new minimum
        assertThat(f.isFresh(FreshnessCheck.headerMillis(3000 * MS), 4500 * MS)).isFalse(); // 1490 ms extra
    }

    @Test
    void zeroBoundTurnsTheCheckOff() {
        FreshnessCheck f = new FreshnessCheck(0);
        assertThat(f.isFresh(0, 0)).isTrue();
        assertThat(f.isFresh(0, 40_000 * MS)).isTrue();
    }
}
