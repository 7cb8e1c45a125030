package dev.multipath.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverFiguresTest {

    private static final List<LinkSpec> TWO_X_10 = List.of(LinkSpec.rate(10), LinkSpec.rate(10));
    private static final List<LinkEvent> CUT_3_RESTORE_6 = List.of(LinkEvent.down(3, 1), LinkEvent.restore(6, 1));

    @Test
    void countsTheIntervalsBelowHalfTheSurvivorAndTheTimeToRecover() {
        // 0.5 s intervals: 18 until the cut at 3 s, 0.8 and 4.2 (both below 4.78), then 9.2, restored at 6 s,
        // 13.7 and 15.0 (below 0.9 x 18.3), 18.2 in the interval ending at 7.5 s, and a partial tail.
        List<Double> v = List.of(17.0, 18.2, 18.3, 18.4, 18.3, 18.2, 0.8, 4.2, 9.2, 9.2, 9.2, 9.2, 13.7, 15.0,
                18.2, 18.3, 30.0);
        FailoverFigures.Figures f = FailoverFigures.of(TWO_X_10, CUT_3_RESTORE_6, v, 0.5);
        assertThat(f.stallSec()).isEqualTo(1.0);
        assertThat(f.recoverySec()).isEqualTo(1.5);
    }

    @Test
    void noStallAndAnImmediateRecoveryAreZero() {
        List<Double> v = List.of(18.0, 18.0, 18.0, 18.0, 18.0, 18.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 18.0, 18.0, 18.0);
        FailoverFigures.Figures f = FailoverFigures.of(TWO_X_10, CUT_3_RESTORE_6, v, 0.5);
        assertThat(f.stallSec()).isZero();
        assertThat(f.recoverySec()).isEqualTo(0.5);
    }

    @Test
    void aFlowThatNeverRecoversHasNoRecoveryTime() {
        List<Double> v = List.of(18.0, 18.0, 18.0, 18.0, 18.0, 18.0, 9.0, 9.0, 9.0, 9.0, 9.0, 9.0, 12.0, 12.0, 12.0);
        assertThat(FailoverFigures.of(TWO_X_10, CUT_3_RESTORE_6, v, 0.5).recoverySec()).isNaN();
        assertThat(FailoverFigures.applies(List.of(LinkEvent.rate(3, 1, 5)))).isFalse();
        assertThat(FailoverFigures.applies(CUT_3_RESTORE_6)).isTrue();
    }
}
