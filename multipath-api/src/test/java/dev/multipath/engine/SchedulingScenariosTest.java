package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.RedundancyPolicy;
import dev.multipath.sim.SimLinkSpec;
import dev.multipath.sim.SimNetwork;
import dev.multipath.sim.TestPackets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 6 behaviour on simulated links: per-flow order, independence of flows, metric tiers, redundant mode. */
class SchedulingScenariosTest {

    private static final long MS = 1_000_000L;
    private static final long MBIT = 1_000_000L;

    private static void offer(SimNetwork net, int count, int srcPort, int size, long gap, long start) {
        for (int i = 0; i < count; i++) {
            long seq = i;
            net.clock().at(start + i * gap, () -> net.sendFromLocal(TestPackets.ipv4Udp(2, srcPort, 6000, seq, size)));
        }
    }

    /** A 10 Mbit / 5 ms link and a longer one, with a 100 ms reorder bound. */
    private static SimNetwork shortAndLong(long longRate, long longDelay) {
        return SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .link(SimLinkSpec.of(longRate, longDelay))
                .reorderHold(100 * MS)
                .build().start();
    }

    private static int port(byte[] ip) {
        return ((ip[20] & 0xff) << 8) | (ip[21] & 0xff);
    }

    @Test
    void eachFlowArrivesInOrderOverPathsOfUnequalDelay() {
        SimNetwork net = shortAndLong(10 * MBIT, 40 * MS);
        net.runUntil(50 * MS);
        offer(net, 1500, 5000, 1200, 1 * MS, 50 * MS); // 9.6 Mbit/s: both links carry some
        net.runUntil(3000 * MS);
        List<SimNetwork.Delivery> got = net.deliveredAtRemote();
        assertThat(got).hasSize(1500);
        assertThat(got.stream().map(SimNetwork.Delivery::pathId).distinct().count()).isEqualTo(2);
        long last = -1;
        for (SimNetwork.Delivery d : got) {
            long seq = TestPackets.sequenceOf(d.packet());
            assertThat(seq).isGreaterThan(last);
            last = seq;
        }
    }

    @Test
    void lightTrafficTakesTheShortPathEvenWhileTheLongOneSearchesForItsCapacity() {
        // The other direction's ACKs (a packet every 4 ms) over 5 ms and 60 ms links: every one should go on the short
        // link. On the long one it would arrive 55 ms later and hold every later packet of its flow at the receiver
        // (lab, three-unequal: the inner TCP's RTT was 115 ms instead of about 70).
        // Both paths have an RTT sample by 500 ms (the long one from a probe); the long one is then still padded in
        // its STARTUP (PortalCore#padsNow), the short one has found its capacity.
        SimNetwork net = shortAndLong(30 * MBIT, 60 * MS);
        net.runUntil(500 * MS);
        assertThat(net.local().path(1).controller().capacityKnown()).isFalse();
        assertThat(net.local().path(1).stats().paddingSent.get()).isPositive();
        offer(net, 200, 5000, 80, 4 * MS, 500 * MS);
        net.runUntil(1700 * MS);
        List<SimNetwork.Delivery> got = net.deliveredAtRemote();
        assertThat(got).hasSize(200);
        assertThat(got).allSatisfy(d -> assertThat(d.pathId()).isZero());
    }

    @Test
    void aLossInOneFlowDoesNotDelayAnother() {
        // Frame 30 on link 0 is lost. Flow A (port 5000) waits for it at most the hold bound (or until every active
        // path has passed it); flow B (port 5001) never waits for flow A.
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).losing(Set.of(30L)))
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .reorderHold(20 * MS)
                .capacitySearch(0) // frame 30 must be a data frame
                .build().start();
        net.runUntil(50 * MS);
        offer(net, 200, 5000, 1000, 2 * MS, 50 * MS);
        offer(net, 200, 5001, 1000, 2 * MS, 51 * MS);
        net.runUntil(2000 * MS);
        Map<Integer, Long> sent = new HashMap<>();
        for (SimNetwork.Delivery d : net.deliveredAtRemote()) {
            long sentAt = (port(d.packet()) == 5000 ? 50 : 51) * MS + TestPackets.sequenceOf(d.packet()) * 2 * MS;
            long delay = d.atNanos() - sentAt;
            sent.merge(port(d.packet()), delay, Math::max);
        }
        assertThat(net.deliveredAtRemote()).hasSize(399);
        // One path's one-way delay plus two serialisations is ~7 ms. Flow A's packets after the loss waited up to
        // the 20 ms bound; flow B's never waited.
        assertThat(sent.get(5000)).isBetween(20 * MS, 30 * MS);
        assertThat(sent.get(5001)).isLessThan(10 * MS);
    }

    @Test
    void backupPathIdlesUntilThePrimaryTierSaturatesWhenItMayOverflow() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS), 0)
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS), 1, true)
                .build().start();
        net.runUntil(50 * MS);
        offer(net, 300, 5000, 1000, 2 * MS, 50 * MS); // 4 Mbit/s: the primary alone carries it
        net.runUntil(800 * MS);
        assertThat(net.local().path(1).stats().packetsSent.get()).isZero();
        offer(net, 3000, 5001, 1250, 500_000, 800 * MS); // 20 Mbit/s: twice the primary
        net.runUntil(3000 * MS);
        long backup = net.local().path(1).stats().packetsSent.get();
        assertThat(backup).isGreaterThan(800);
    }

    @Test
    void redundantTrafficArrivesOnceDespiteLossOnOnePath() {
        Random rnd = new Random(42);
        Set<Long> lose = new HashSet<>();
        for (long i = 0; i < 5000; i++) {
            if (rnd.nextInt(100) < 10) {
                lose.add(i);
            }
        }
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).losing(lose))
                .link(SimLinkSpec.of(10 * MBIT, 8 * MS))
                .redundancy(new RedundancyPolicy(Set.of(), Set.of(5060), Set.of()))
                .build().start();
        net.runUntil(50 * MS);
        offer(net, 2000, 5060, 200, 1 * MS, 50 * MS);
        net.runUntil(3000 * MS);
        List<Long> seqs = new ArrayList<>();
        net.deliveredAtRemote().forEach(d -> seqs.add(TestPackets.sequenceOf(d.packet())));
        assertThat(new HashSet<>(seqs)).hasSize(2000);
        assertThat(seqs).hasSize(2000); // exactly once
        assertThat(net.localEnd(0).framesLost()).isGreaterThan(100);
        assertThat(net.local().redundantPackets()).isEqualTo(2000);
    }
}
