package dev.multipath.reorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.buffer.Packet;
import java.util.ArrayList;
import java.util.HashMap;
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

class FlowReorderBufferProperties {

    private static final long BOUND = 40_000_000L;
    private static final long MS = 1_000_000L;

    /** One packet as the test sends it: its flow, its sequence in the flow, its global send order. */
    private record Sent(int flow, int seqInFlow, long counter) {
    }

    /**
     * Several flows interleaved; each packet is delayed by a random amount (reordering across paths), some are lost and
     * some duplicated; the writer calls expire at every step. Checked: nothing delivered twice, nothing lost that
     * arrived, no packet held past the bound, and within a flow every packet released in order comes after its
     * predecessors.
     */
    @Property(tries = 200)
    void neverTwiceNeverLostNeverPastTheBoundAndInOrderPerFlow(@ForAll @IntRange(min = 1, max = 6) int flows,
            @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(max = 20) int lossPercent,
            @ForAll @IntRange(max = 20) int dupPercent, @ForAll @LongRange(max = 10_000) long seed) {
        Random rnd = new Random(seed);
        List<long[]> arrivals = new ArrayList<>(); // {arrivalTime, index into sent}
        List<Sent> sent = new ArrayList<>();
        int[] nextSeq = new int[flows];
        for (int i = 0; i < n; i++) {
            int f = rnd.nextInt(flows);
            sent.add(new Sent(f, nextSeq[f]++, i));
            if (rnd.nextInt(100) < lossPercent) {
                continue;
            }
            // Up to 30 ms of reordering, and now and then a packet up to 30 ms later than that (past the bound).
            long t = i * MS + rnd.nextInt(30) * MS + (rnd.nextInt(50) == 0 ? rnd.nextInt(30) * MS : 0);
            arrivals.add(new long[] {t, i});
            if (rnd.nextInt(100) < dupPercent) {
                arrivals.add(new long[] {t + rnd.nextInt(50) * MS, i});
            }
        }
        arrivals.sort((a, b) -> Long.compare(a[0], b[0]));

        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        Map<Packet, Integer> which = new IdentityHashMap<>();
        Map<Packet, Long> arrivedAt = new IdentityHashMap<>();
        List<Integer> released = new ArrayList<>();
        long[] now = {0};
        java.util.function.Consumer<Packet> out = p -> {
            released.add(which.get(p));
            // The bound in force (it grows after late arrivals), never more than twice the configured one.
            assertThat(now[0] - arrivedAt.get(p)).isLessThanOrEqualTo(rb.maxHoldNanos());
            assertThat(rb.maxHoldNanos()).isLessThanOrEqualTo(2 * BOUND);
        };
        List<Packet> dropped = new ArrayList<>();
        Set<Integer> arrivedOnce = new HashSet<>();
        for (long[] a : arrivals) {
            now[0] = Math.max(now[0], Math.min(a[0], rb.nextDeadline()));
            while (rb.nextDeadline() <= a[0]) {
                now[0] = rb.nextDeadline();
                rb.expire(now[0], out);
            }
            now[0] = a[0];
            Sent s = sent.get((int) a[1]);
            Packet p = new Packet(8);
            which.put(p, (int) a[1]);
            arrivedAt.put(p, now[0]);
            arrivedOnce.add((int) a[1]);
            rb.offer(p, s.flow() * 7 + 1, s.seqInFlow() & 0xffff, s.counter(), now[0], out, dropped::add);
        }
        while (rb.held() > 0) {
            now[0] = rb.nextDeadline();
            rb.expire(now[0], out);
        }
        assertThat(new HashSet<>(released)).hasSize(released.size()).isEqualTo(arrivedOnce);
        // Per flow: the order of release is increasing, except for packets delivered late (after their turn).
        Map<Integer, Integer> lastSeq = new HashMap<>();
        long outOfOrder = 0;
        for (int idx : released) {
            Sent s = sent.get(idx);
            Integer last = lastSeq.get(s.flow());
            if (last != null && s.seqInFlow() < last) {
                outOfOrder++;
            } else {
                lastSeq.put(s.flow(), s.seqInFlow());
            }
        }
        assertThat(outOfOrder).isLessThanOrEqualTo(rb.lateArrivals());
    }

    @Test
    void aGapInOneFlowDoesNotHoldAnother() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 1, 0, 0, 0, out::add, p -> { });
        rb.offer(new Packet(8), 1, 2, 2, 0, out::add, p -> { }); // flow 1 waits for its seq 1
        rb.offer(new Packet(8), 2, 0, 3, 0, out::add, p -> { }); // flow 2 is not held
        rb.offer(new Packet(8), 2, 1, 4, 0, out::add, p -> { });
        assertThat(out).hasSize(3);
        assertThat(rb.held()).isEqualTo(1);
    }

    @Test
    void aLostPredecessorIsGivenUpOnceEveryPathHasPassedIt() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 1, 0, 10, 0, out::add, p -> { });
        rb.offer(new Packet(8), 1, 2, 12, 0, out::add, p -> { }); // seq 1 (counter 11) missing
        rb.settleBelow(12, out::add); // not yet: a path may still bring counter 11... the held one is 12
        assertThat(out).hasSize(1);
        rb.settleBelow(13, out::add); // every path is past 12: seq 1 was lost
        assertThat(out).hasSize(2);
        assertThat(rb.releasedBySettle()).isEqualTo(1);
    }

    @Test
    void secondCopiesAreDroppedNotDelivered() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        List<Packet> dropped = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (int seq = 0; seq < 5; seq++) {
                rb.offer(new Packet(8), 9, seq, seq + copy * 100, 0, out::add, dropped::add);
            }
        }
        assertThat(out).hasSize(5);
        assertThat(dropped).hasSize(5);
        assertThat(rb.duplicates()).isEqualTo(5);
    }

    /**
     * A rescue copy of a packet that did arrive (its ACK was lost with the path) comes after the flow moved on by
     * hundreds of numbers: still a second copy, up to {@link FlowReorderBuffer#DUPLICATE_WINDOW} back. Past that it
     * counts as late. A number whose gap was given up is delivered once when it comes, however late.
     */
    @Test
    void secondCopiesAreRecognisedAcrossTheWholeWindow() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        List<Packet> dropped = new ArrayList<>();
        int n = FlowReorderBuffer.DUPLICATE_WINDOW + 100;
        for (int seq = 0; seq < n; seq++) {
            if (seq == n - 10) {
                continue; // lost; given up by timeout below
            }
            rb.offer(new Packet(8), 5, seq, seq, 0, out::add, dropped::add);
        }
        rb.expire(BOUND + 1, out::add);
        assertThat(out).hasSize(n - 1);
        // Every number within the window comes again: all second copies but the one that never came.
        for (int back = 1; back <= FlowReorderBuffer.DUPLICATE_WINDOW; back++) {
            rb.offer(new Packet(8), 5, n - back, 0, BOUND + 2, out::add, dropped::add);
        }
        assertThat(dropped).hasSize(FlowReorderBuffer.DUPLICATE_WINDOW - 1);
        assertThat(out).hasSize(n);
        assertThat(rb.lateArrivals()).isEqualTo(1);
        // Its copy is a duplicate too now.
        rb.offer(new Packet(8), 5, n - 10, 0, BOUND + 3, out::add, dropped::add);
        assertThat(dropped).hasSize(FlowReorderBuffer.DUPLICATE_WINDOW);
        // Beyond the window a copy cannot be told from a late packet: delivered.
        rb.offer(new Packet(8), 5, n - FlowReorderBuffer.DUPLICATE_WINDOW - 1, 0, BOUND + 4, out::add, dropped::add);
        assertThat(out).hasSize(n + 1);
    }

    @Test
    void aPacketArrivingAfterItsGapTimedOutLengthensTheWaitThenTheWaitDecays() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 1, 0, 0, 0, out::add, p -> { });
        rb.offer(new Packet(8), 1, 2, 2, 0, out::add, p -> { }); // waits for seq 1
        rb.expire(BOUND, out::add); // given up at 40 ms
        assertThat(rb.releasedByTimeout()).isEqualTo(1);
        rb.offer(new Packet(8), 1, 1, 1, BOUND + 10 * MS, out::add, p -> { }); // arrives 10 ms too late
        assertThat(rb.lateArrivals()).isEqualTo(1);
        assertThat(rb.maxHoldNanos()).isEqualTo(BOUND + 12 * MS); // lateness + 2 ms
        // The next gap waits the longer bound and is filled in order.
        long t = 100 * MS;
        rb.offer(new Packet(8), 1, 4, 4, t, out::add, p -> { });
        rb.expire(t + BOUND + 5 * MS, out::add);
        assertThat(rb.held()).isEqualTo(1);
        rb.offer(new Packet(8), 1, 3, 3, t + BOUND + 8 * MS, out::add, p -> { });
        assertThat(rb.held()).isZero();
        assertThat(rb.releasedByTimeout()).isEqualTo(1);
        // Quiet for the decay period: the extra wait halves, then goes.
        rb.expire(t + (FlowReorderBuffer.EXTRA_DECAY_MILLIS + 1) * MS, out::add);
        assertThat(rb.extraHoldNanos()).isEqualTo(6 * MS);
        rb.expire(t + 2 * (FlowReorderBuffer.EXTRA_DECAY_MILLIS + 1) * MS, out::add);
        rb.expire(t + 3 * (FlowReorderBuffer.EXTRA_DECAY_MILLIS + 1) * MS, out::add);
        assertThat(rb.maxHoldNanos()).isEqualTo(BOUND);
    }

    @Test
    void theExtraWaitNeverExceedsTheConfiguredBound() {
        FlowReorderBuffer rb = new FlowReorderBuffer(64, BOUND);
        List<Packet> out = new ArrayList<>();
        rb.offer(new Packet(8), 1, 0, 0, 0, out::add, p -> { });
        rb.offer(new Packet(8), 1, 2, 2, 0, out::add, p -> { });
        rb.expire(BOUND, out::add);
        rb.offer(new Packet(8), 1, 1, 1, BOUND + BOUND - MS, out::add, p -> { });
        assertThat(rb.maxHoldNanos()).isEqualTo(2 * BOUND);
    }
}
