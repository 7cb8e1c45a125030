package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ReplayWindowProperties {

    @Property
    void acceptsEachCounterAtMostOnce(@ForAll("counters") List<Long> counters, @ForAll @IntRange(min = 64, max = 4096) int size) {
        ReplayWindow w = new ReplayWindow(size);
        java.util.Set<Long> accepted = new java.util.HashSet<>();
        for (long c : counters) {
            if (w.accept(c)) {
                assertThat(accepted.add(c)).as("counter %d accepted twice", c).isTrue();
            }
        }
    }

    @Property
    void acceptsEverythingInsideTheWindowInAnyOrder(@ForAll @LongRange(min = 0, max = 1L << 47) long base,
            @ForAll @IntRange(min = 64, max = 8192) int size, @ForAll long seed) {
        ReplayWindow w = new ReplayWindow(size);
        List<Long> order = new ArrayList<>();
        for (long i = 0; i < w.size(); i++) {
            order.add(base + i);
        }
        Collections.shuffle(order, new Random(seed));
        for (long c : order) {
            assertThat(w.accept(c)).as("first sight of %d", c).isTrue();
        }
        for (long c : order) {
            assertThat(w.accept(c)).as("replay of %d", c).isFalse();
        }
    }

    @Property
    void rejectsBelowTheWindow(@ForAll @LongRange(min = 0, max = 1L << 47) long top,
            @ForAll @IntRange(min = 64, max = 8192) int size, @ForAll @LongRange(min = 0, max = 1L << 20) long below) {
        ReplayWindow w = new ReplayWindow(size);
        assertThat(w.accept(top)).isTrue();
        long old = top - w.size() - below;
        assertThat(w.accept(old)).isFalse();
        assertThat(w.tooOld(old)).isTrue();
        if (top - w.size() + 1 >= 0 && top - w.size() + 1 < top) {
            assertThat(w.accept(top - w.size() + 1)).as("oldest counter still inside").isTrue();
        }
    }

    @Property
    void largeJumpsClearOldBits(@ForAll @IntRange(min = 64, max = 2048) int size, @ForAll @LongRange(min = 1, max = 100_000) long jump) {
        ReplayWindow w = new ReplayWindow(size);
        for (long c = 0; c < w.size(); c++) {
            w.accept(c);
        }
        long top = w.size() - 1 + jump;
        assertThat(w.accept(top)).isTrue();
        for (long c = Math.max(top - w.size() + 1, w.size()); c < top; c++) {
            assertThat(w.accept(c)).as("never-seen %d after jump", c).isTrue();
        }
    }

    @Provide
    Arbitrary<List<Long>> counters() {
        return Arbitraries.longs().between(0, 10_000).list().ofMaxSize(3000);
    }

    @Test
    void concurrentReceiversAcceptEachCounterExactlyOnce() throws Exception {
        ReplayWindow w = new ReplayWindow(ReplayWindow.DEFAULT_SIZE);
        int n = 200_000;
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // Every thread offers every counter, with some local disorder: exactly one must win each.
            long seed = t;
            threads.add(new Thread(() -> {
                Random r = new Random(seed);
                for (int i = 0; i < n; i += 16) {
                    for (int j = 0; j < 16; j++) {
                        if (w.accept(i + r.nextInt(16))) {
                            accepted.incrementAndGet();
                        }
                    }
                    for (int j = 0; j < 16; j++) {
                        if (w.accept(i + j)) {
                            accepted.incrementAndGet();
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread th : threads) {
            th.join();
        }
        assertThat(accepted.get()).isEqualTo(n);
    }
}
