package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HoldBoundTest {

    private static final long MS = 1_000_000L;

    @Test
    void aOneWayDelayCountsTheWholeQueueInItsRtt() {
        // The remote portal's view of the lab's 30 ms path during an outbound flow: 60 ms min RTT, 87 ms smoothed.
        assertThat(HoldBound.oneWayDelayNanos(87 * MS, 60 * MS)).isEqualTo(57 * MS);
        assertThat(HoldBound.oneWayDelayNanos(60 * MS, 60 * MS)).isEqualTo(30 * MS);
        assertThat(HoldBound.oneWayDelayNanos(40 * MS, 0)).as("no min RTT yet").isEqualTo(20 * MS);
    }

    @Test
    void theSpreadRunsFromTheFastestPathsPropagationDelayNotItsQueue() {
        // three-unequal seen from the receiving portal in the first flow: the 8 ms path queued (54 ms smoothed RTT),
        // the 25 ms path not, the 60 ms path at its base delay.
        HoldBound b = new HoldBound();
        b.beginSpread();
        b.addPath(54 * MS, 16 * MS);
        b.addPath(52 * MS, 50 * MS);
        b.addPath(122 * MS, 120 * MS);
        assertThat(b.spreadNanos()).as("62 ms one way now less the 8 ms path's 8 ms").isEqualTo(54 * MS);
        // Equal paths, one queued: the spread is that queue.
        b.beginSpread();
        b.addPath(30 * MS, 20 * MS);
        b.addPath(20 * MS, 20 * MS);
        assertThat(b.spreadNanos()).isEqualTo(10 * MS);
        // One path, or none measured yet.
        b.beginSpread();
        b.addPath(20 * MS, 20 * MS);
        assertThat(b.spreadNanos()).isZero();
        b.beginSpread();
        b.addPath(0, 0);
        assertThat(b.spreadNanos()).isZero();
        // Without min RTTs, half the smoothed RTTs as before.
        b.beginSpread();
        b.addPath(40 * MS, 0);
        b.addPath(100 * MS, 0);
        assertThat(b.spreadNanos()).isEqualTo(30 * MS);
    }

    @Test
    void theSpreadPlusTheMarginWhileNothingArrivesLate() {
        HoldBound b = new HoldBound();
        assertThat(b.update(10 * MS, 0)).isEqualTo(10 * MS + HoldBound.MARGIN_NANOS);
        assertThat(b.update(0, 0)).isEqualTo(Math.max(HoldBound.MIN_NANOS, HoldBound.MARGIN_NANOS));
        assertThat(b.update(400 * MS, 0)).isEqualTo(HoldBound.MAX_NANOS);
    }

    @Test
    void lateArrivalsDoubleTheBoostUpToItsCapAndQuietUpdatesLetItDecay() {
        HoldBound b = new HoldBound();
        long spread = 10 * MS + HoldBound.MARGIN_NANOS;
        assertThat(b.update(10 * MS, 3)).isEqualTo(spread + 5 * MS);
        assertThat(b.update(10 * MS, 7)).isEqualTo(spread + 10 * MS);
        assertThat(b.update(10 * MS, 8)).isEqualTo(spread + 20 * MS);
        for (int i = 0; i < 10; i++) {
            b.update(10 * MS, 100 + i);
        }
        assertThat(b.boostNanos()).isEqualTo(HoldBound.MAX_BOOST_NANOS);
        long previous = b.boostNanos();
        for (int i = 0; i < 5; i++) {
            b.update(10 * MS, 109); // no new late arrivals
            assertThat(b.boostNanos()).isLessThan(previous);
            previous = b.boostNanos();
        }
        for (int i = 0; i < 100; i++) {
            b.update(10 * MS, 109);
        }
        assertThat(b.boostNanos()).isZero();
        assertThat(b.update(10 * MS, 109)).isEqualTo(spread);
    }
}
