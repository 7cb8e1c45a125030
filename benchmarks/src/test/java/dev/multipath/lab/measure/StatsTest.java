package dev.multipath.lab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Stats.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
    }

    @Test
    void covIsSampleStddevOverMean() {
        assertThat(Stats.cov(new double[] {9, 11})).isCloseTo(Math.sqrt(2) / 10, within(1e-12));
        assertThat(Stats.cov(new double[] {5})).isInfinite();
    }

    @Property
    void medianLiesBetweenMinAndMax(@ForAll @Size(min = 1, max = 20) double[] values) {
        for (double v : values) {
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                return;
            }
        }
        double m = Stats.median(values);
        assertThat(m).isBetween(Stats.min(values), Stats.max(values));
    }

    @Property
    void covOfConstantSeriesIsZero(@ForAll @DoubleRange(min = 0.1, max = 1e4) double v) {
        assertThat(Stats.cov(new double[] {v, v, v})).isCloseTo(0, within(1e-9));
    }
}
