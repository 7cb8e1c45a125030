package dev.multipath.lab.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Counter samples into rates. */
class RateSamplerTest {

    @Test
    void ratesAreBitsPerSecondBetweenSamplesStampedAtTheirMidpoint() {
        List<RateSampler.Sample> s = List.of(new RateSampler.Sample(1_000_000, new long[] {0, 100}),
                new RateSampler.Sample(1_100_000, new long[] {125_000, 100}),
                new RateSampler.Sample(1_300_000, new long[] {125_000, 250_100}));
        double[][] r = RateSampler.rates(s, 1_000_000);
        assertThat(r).hasNumberOfRows(2);
        assertThat(r[0][0]).isCloseTo(0.05, within(1e-9));
        assertThat(r[0][1]).isCloseTo(10.0, within(1e-9));
        assertThat(r[0][2]).isCloseTo(0.0, within(1e-9));
        assertThat(r[1][0]).isCloseTo(0.2, within(1e-9));
        assertThat(r[1][2]).isCloseTo(10.0, within(1e-9));
    }
}
