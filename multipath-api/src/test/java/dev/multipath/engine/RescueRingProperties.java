package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.buffer.Packet;
import dev.multipath.sim.TestPackets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RescueRingProperties {

    private static final int MAX = 1500;
    private static final java.util.function.IntBinaryOperator NO_LAG = (bucket, seq) -> 0;

    private static Packet packet(long seq, int flowSequence) {
        return packet(seq, 0, flowSequence);
    }

    private static Packet packet(long seq, int bucket, int flowSequence) {
        Packet p = new Packet(MAX);
        byte[] ip = TestPackets.ipv4Udp(2, 5000, 6000, seq, 100 + (int) (seq % 1000));
        System.arraycopy(ip, 0, p.data(), Packet.PAYLOAD_OFFSET, ip.length);
        p.setLength(ip.length);
        p.setFlowSequence(flowSequence);
        p.setFlowBucket(bucket);
        return p;
    }

    private static byte[] inner(Packet p) {
        byte[] b = new byte[p.length()];
        System.arraycopy(p.data(), Packet.PAYLOAD_OFFSET, b, 0, b.length);
        return b;
    }

    /**
     * Whatever was sent, abandoned or acknowledged, in several flows that other paths also carried: a rescue hands over
     * exactly the newest {@link RescueRing#KEPT} committed packets that are still in flight and whose flow has not moved
     * on by more than {@link RescueRing#MAX_FLOW_LAG} numbers since, unchanged (contents, flow bucket and number),
     * oldest first, and a second rescue hands over nothing.
     */
    @Property
    void rescuesExactlyTheNewestUnacknowledgedPacketsUnchangedAndOnlyOnce(
            @ForAll @IntRange(min = 0, max = 700) int sends, @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        java.util.Random random = new java.util.Random(seed);
        RescueRing ring = new RescueRing(MAX);
        PacketPool pool = new PacketPool(1024, MAX);
        List<Long> committed = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        Set<Long> acked = new HashSet<>();
        List<int[]> flowOf = new ArrayList<>(); // {bucket, flow sequence} of each committed packet
        int buckets = 1 + random.nextInt(3);
        int[] nextInFlow = new int[buckets];
        long counter = 0;
        for (int i = 0; i < sends; i++) {
            int bucket = random.nextInt(buckets);
            // Other paths carry some of the flow's packets too: numbers this path never sees.
            nextInFlow[bucket] += random.nextInt(4);
            int flowSeq = nextInFlow[bucket]++ & 0xffff;
            Packet p = packet(i, bucket, flowSeq);
            ring.stage(p);
            if (random.nextInt(10) == 0) {
                ring.abandon(); // sealing failed: not sent
                continue;
            }
            counter += 1 + random.nextInt(3); // counters of one path ascend with gaps (other paths take some)
            ring.commit(counter);
            committed.add(counter);
            contents.add(inner(p));
            flowOf.add(new int[] {bucket, flowSeq});
            if (random.nextBoolean()) {
                acked.add(counter);
            }
        }
        // Since the last send, the flows moved on further on other paths.
        for (int b = 0; b < buckets; b++) {
            nextInFlow[b] += random.nextInt(300);
        }
        java.util.function.IntBinaryOperator lag = (b, seq) -> (nextInFlow[b] - seq) & 0xffff;
        List<byte[]> expected = new ArrayList<>();
        List<int[]> expectedFlow = new ArrayList<>();
        for (int k = Math.max(0, committed.size() - RescueRing.KEPT); k < committed.size(); k++) {
            int[] f = flowOf.get(k);
            if (!acked.contains(committed.get(k)) && lag.applyAsInt(f[0], f[1]) <= RescueRing.MAX_FLOW_LAG) {
                expected.add(contents.get(k));
                expectedFlow.add(f);
            }
        }
        List<Packet> got = new ArrayList<>();
        int n = ring.rescue(c -> !acked.contains(c), lag, pool, 42, got::add);
        assertThat(n).isEqualTo(got.size()).isEqualTo(expected.size());
        for (int k = 0; k < got.size(); k++) {
            assertThat(inner(got.get(k))).isEqualTo(expected.get(k));
            assertThat(got.get(k).timeNanos()).isEqualTo(42);
            assertThat(got.get(k).flowBucket()).isEqualTo(expectedFlow.get(k)[0]);
            assertThat(got.get(k).flowSequence()).isEqualTo(expectedFlow.get(k)[1]);
        }
        assertThat(ring.rescue(c -> !acked.contains(c), lag, pool, 43, got::add)).isZero();
    }

    @Test
    void aCopyTheSinkRefusesGoesBackToThePoolAndAnEmptyPoolStopsTheRescue() {
        RescueRing ring = new RescueRing(MAX);
        for (int i = 0; i < 10; i++) {
            ring.stage(packet(i, i));
            ring.commit(i);
        }
        PacketPool pool = new PacketPool(4, MAX);
        List<Packet> kept = new ArrayList<>();
        assertThat(ring.rescue(c -> true, NO_LAG, pool, 0, p -> false)).isZero();
        assertThat(ring.rescue(c -> true, NO_LAG, pool, 0, kept::add)).isZero(); // refused ones were forgotten too
        RescueRing second = new RescueRing(MAX);
        for (int i = 0; i < 10; i++) {
            second.stage(packet(i, i));
            second.commit(i);
        }
        assertThat(second.rescue(c -> true, NO_LAG, pool, 0, kept::add)).isEqualTo(4);
        assertThat(TestPackets.sequenceOf(inner(kept.get(0)))).isEqualTo(0);
    }

    @Test
    void aPortalThatNeverStagedHasNothingToRescue() {
        RescueRing ring = new RescueRing(MAX);
        assertThat(ring.rescue(c -> true, NO_LAG, new PacketPool(4, MAX), 0, p -> true)).isZero();
    }
}
