package dev.multipath.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndResets() {
        Backoff b = new Backoff(100, 5000);
        long[] seen = new long[9];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = b.nextDelayMillis();
        }
        assertThat(seen).containsExactly(100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000);
        b.reset();
        assertThat(b.nextDelayMillis()).isEqualTo(100);
    }
}
