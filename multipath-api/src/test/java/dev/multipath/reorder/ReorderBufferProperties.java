package dev.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.buffer.Packet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ReorderBufferProperties {

    private static final long BOUND = 50_000_000L;

    /** Counters 0..n-1 arrive in a locally shuffled order, some lost; time advances 1 ms per arrival. */
    @Property(tries = 300)
    void neverDeliversTwiceNeverLosesAndNeverHoldsPastTheBound(@ForAll @IntRange(min = 1, max = 400) int n,
            @ForAll @IntRange(min = 1, max = 40) int spread, @ForAll @IntRange(max = 30) int lossPercent,
            @ForAll @LongRange(min = 0, max = 1000) long seed) {
        Random rnd = new Random(seed);
        List<Long> order = new ArrayList<>();
        for (long c = 0; c < n; c++) {
            order.add(c);
        }
        for (int i = 0; i < n; i++) { // bounded displacement: each counter moves at most `spread` places
            int j = Math.min(n - 1, i + rnd.nextInt(spread));
            Collections.swap(order, i, j);
        }
        ReorderBuffer rb = new ReorderBuffer(1024, BOUND);
        Map<Packet, Long> counterOf = new IdentityHashMap<>();
        Map<Packet, Long> arrivedAt = new IdentityHashMap<>();
        List<Long> released = new ArrayList<>();
        long[] now = {0};
        java.util.function.Consumer<Packet> sink = p -> {
            released.add(counterOf.get(p));
            assertThat(now[0] - arrivedAt.get(p)).isLessThanOrEqualTo(BOUND);
        };
        Set<Long> sent = new HashSet<>();
        for (long c : order) {
            now[0] += 1_000_000L;
            if (rb.nextDeadline() <= now[0]) {
                rb.expire(now[0], sink);
            }
            if (rnd.nextInt(100) < lossPercent && c != 0) {
                continue;
            }
            Packet p = new Packet(8);
            counterOf.put(p, c);
            arrivedAt.put(p, now[0]);
            sent.add(c);
            rb.offer(p, c, now[0], sink);
        }
        while (rb.held() > 0) {
            now[0] = Math.max(now[0], rb.nextDeadline());
            rb.expire(now[0], sink);
        }
        assertThat(new HashSet<>(released)).hasSize(released.size()).isEqualTo(sent);
        // Everything released in order except packets that arrived after their turn had passed.
        assertThat(rb.releasedInOrder() + rb.releasedByTimeout() + rb.lateArrivals()).isEqualTo(sent.size());
    }

    @Property
    void inOrderArrivalsAreNeverHeld(@ForAll @IntRange(min = 1, max = 300) int n) {
        ReorderBuffer rb = new ReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            rb.offer(new Packet(8), c, c, out::add);
            assertThat(rb.held()).isZero();
        }
        assertThat(out).hasSize(n);
    }

    @Test
    void aGapPassedByEveryPathIsGivenUpAtOnce() {
        ReorderBuffer rb = new ReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 0, 0, out::add);
        rb.offer(new Packet(8), 2, 1, out::add); // 1 missing
        rb.offer(new Packet(8), 3, 2, out::add);
        assertThat(out).hasSize(1);
        rb.settleBelow(3, out::add); // both paths have delivered >= 3: 1 was lost
        assertThat(out).hasSize(3);
        assertThat(rb.gapsGivenUp()).isEqualTo(1);
        assertThat(rb.held()).isZero();
    }

    @Test
    void aNewSessionsCountersRestartTheOrder() {
        ReorderBuffer rb = new ReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 5_000_000, 0, out::add);
        rb.offer(new Packet(8), 5_000_002, 1, out::add); // held: 5_000_001 missing
        rb.offer(new Packet(8), 1, 2, out::add); // rekeyed: the held packet goes out, then the new numbering
        assertThat(out).hasSize(3);
        assertThat(rb.newSessions()).isEqualTo(1);
        rb.offer(new Packet(8), 3, 3, out::add); // 2 missing in the new session: held
        assertThat(rb.held()).isEqualTo(1);
    }

    @Test
    void controlFramesDoNotLookLikeGaps() {
        ReorderBuffer rb = new ReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 0, 0, out::add);
        rb.offer(new Packet(8), 2, 1, out::add);
        rb.skip(1, out::add); // counter 1 was a keepalive
        assertThat(out).hasSize(2);
        assertThat(rb.held()).isZero();
    }
}
