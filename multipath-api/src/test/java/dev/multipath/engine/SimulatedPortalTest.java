package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.DropReason;
import dev.multipath.sim.SimLinkSpec;
import dev.multipath.sim.SimNetwork;
import dev.multipath.sim.TestPackets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The engine end to end on simulated links: deterministic, no root, no sockets. */
class SimulatedPortalTest {

    private static final long MS = 1_000_000L;
    private static final long MBIT = 1_000_000L;

    /** Offers {@code count} packets of {@code size} bytes at {@code local}, one every {@code gapNanos}. */
    private static void offer(SimNetwork net, boolean fromLocal, int count, int size, long gapNanos, long startNanos) {
        for (int i = 0; i < count; i++) {
            long seq = i;
            net.clock().at(startNanos + i * gapNanos, () -> {
                byte[] pkt = TestPackets.ipv4Udp(2, 5000, 6000, seq, size);
                if (fromLocal) {
                    net.sendFromLocal(pkt);
                } else {
                    net.sendFromRemote(pkt);
                }
            });
        }
    }

    @Test
    void everyPacketEmergesUnchangedInBothDirections() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 10 * MS))
                .link(SimLinkSpec.of(10 * MBIT, 10 * MS))
                .build().start();
        net.runUntil(50 * MS); // keepalives teach the remote portal both paths
        offer(net, true, 200, 1000, MS, 50 * MS);
        offer(net, false, 200, 1000, MS, 50 * MS);
        net.runUntil(2000 * MS);

        assertThat(net.deliveredAtRemote()).hasSize(200);
        assertThat(net.deliveredAtLocal()).hasSize(200);
        Set<Long> seen = new HashSet<>();
        for (SimNetwork.Delivery d : net.deliveredAtRemote()) {
            assertThat(d.packet()).isEqualTo(TestPackets.ipv4Udp(2, 5000, 6000, TestPackets.sequenceOf(d.packet()), 1000));
            seen.add(TestPackets.sequenceOf(d.packet()));
        }
        assertThat(seen).hasSize(200);
        assertThat(net.remote().paths()).hasSize(2);
        assertThat(net.local().drops().total()).isZero();
        assertThat(net.remote().drops().total()).isZero();
    }

    @Test
    void aLinkCountsAsAProvenHandshakeSourceOnlyOnceAnAuthenticatedFrameBoundAPathToIt() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 10 * MS))
                .build().start();
        net.runUntil(50 * MS);
        dev.multipath.api.Link bound = net.remote().paths().get(0).link();
        assertThat(bound).isNotNull();
        assertThat(net.remote().isBound(bound)).isTrue();
        dev.multipath.api.Link stranger = new dev.multipath.api.Link() {
            @Override
            public boolean send(java.nio.ByteBuffer frame) {
                return true;
            }

            @Override
            public boolean isUp() {
                return true;
            }

            @Override
            public int maxFrameSize() {
                return 1500;
            }

            @Override
            public String remoteDescription() {
                return "stranger";
            }
        };
        assertThat(net.remote().isBound(stranger)).isFalse();
    }

    @Test
    void splitFollowsCapacityWithoutConfiguredRates() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .link(SimLinkSpec.of(20 * MBIT, 5 * MS))
                .build().start();
        net.runUntil(20 * MS);
        // 40 Mbit/s offered into 30 Mbit/s of links: both links stay busy, the queue tail-drops the excess.
        offer(net, true, 8000, 1250, 250_000, 20 * MS);
        net.runUntil(2500 * MS);

        long slow = net.local().path(0).stats().packetsSent.get();
        long fast = net.local().path(1).stats().packetsSent.get();
        double share = (double) fast / (slow + fast);
        assertThat(share).isBetween(0.64, 0.69);
        // Goodput equals the sum of link rates (both links always busy) within 2 %.
        long bytes = net.deliveredAtRemote().size() * 1250L;
        double seconds = 2.0;
        assertThat(bytes * 8 / seconds / (30 * MBIT)).isGreaterThan(0.98 * 1250 / (1250 + 12.0));
        assertThat(net.local().drops().get(DropReason.QUEUE_FULL)).isPositive();
    }

    @Test
    void lostFramesAreMissingAndNothingElse() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).losing(Set.of(3L, 10L, 11L)))
                .build().start();
        net.runUntil(20 * MS);
        offer(net, true, 100, 500, MS, 20 * MS);
        net.runUntil(1000 * MS);
        // Frame 0 on the link was the keepalive, so data packets 2, 9 and 10 were lost.
        Set<Long> seqs = new HashSet<>();
        net.deliveredAtRemote().forEach(d -> seqs.add(TestPackets.sequenceOf(d.packet())));
        assertThat(seqs).hasSize(97).doesNotContain(2L, 9L, 10L);
    }

    @Test
    void failedLinkIsLeftAndFlowContinuesOnTheOther() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).stoppingAfter(100, false))
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .build().start();
        net.runUntil(20 * MS);
        offer(net, true, 1000, 1000, 1 * MS, 20 * MS);
        net.runUntil(3000 * MS);

        assertThat(net.localEnd(0).failed()).isTrue();
        assertThat(net.local().path(0).isUsable()).isFalse();
        // At most what was in flight on the failing link is lost (5 ms of delay holds ~6 frames of 0.8 ms, plus one);
        // the packets it had not seen acknowledged when it fell silent are rescued on the other link, so usually none.
        Set<Long> distinct = new HashSet<>();
        net.deliveredAtRemote().forEach(d -> distinct.add(TestPackets.sequenceOf(d.packet())));
        System.out.printf("link down: delivered %d, distinct %d%n", net.deliveredAtRemote().size(), distinct.size());
        assertThat(distinct).hasSizeBetween(1000 - 8, 1000);
        assertThat(net.deliveredAtRemote()).hasSize(distinct.size());
        List<SimNetwork.Delivery> late = net.deliveredAtRemote().subList(900, net.deliveredAtRemote().size());
        assertThat(late).allMatch(d -> d.pathId() == 1);
    }

    @Test
    void higherMetricPathIdlesUntilThePrimaryFails() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).stoppingAfter(300, false), 0)
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS), 1)
                .build().start();
        net.runUntil(20 * MS);
        offer(net, true, 200, 1000, 1 * MS, 20 * MS);
        net.runUntil(400 * MS);
        assertThat(net.local().path(1).stats().packetsSent.get()).isZero();
        assertThat(net.deliveredAtRemote()).hasSize(200);

        offer(net, true, 300, 1000, 1 * MS, 400 * MS);
        net.runUntil(2000 * MS);
        assertThat(net.local().path(0).isUsable()).isFalse();
        assertThat(net.local().path(1).stats().packetsSent.get()).isGreaterThan(150);
        System.out.printf("tiers: delivered %d%n", net.deliveredAtRemote().size());
        assertThat(net.deliveredAtRemote().size()).isBetween(500 - 8, 500);
    }

    @Test
    void aSilentlyFailedLinkSwallowsFramesButThePacketsInThemAreSentAgain() {
        // The foundation's limit was that a black hole took packets until probing existed; now the path falls silent,
        // and what it had in flight goes again on the path that is heard (decision 36). Every packet arrives unless
        // the queue manager dropped it (counted).
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).stoppingAfter(50, true))
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .capacitySearch(0) // the 50 frames must be data frames
                .build().start();
        net.runUntil(20 * MS);
        offer(net, true, 400, 1000, 1 * MS, 20 * MS);
        net.runUntil(2000 * MS);
        assertThat(net.localEnd(0).framesLost()).isPositive();
        assertThat(net.local().path(0).stats().packetsRescued.get()).isPositive();
        assertThat(net.deliveredAtRemote().size() + net.local().drops().get(DropReason.QUEUE_DELAY)).isEqualTo(400);
    }

    /**
     * A sender that overloads the link by half builds a standing queue; CoDel's signal reaches it as a drop, or as a
     * CE mark when its packets are ECN-capable (decision 45): then no packet is lost to the queue manager, and every
     * mark arrives.
     */
    @Test
    void codelMarksEcnCapablePacketsInsteadOfDroppingThem() {
        int[] notEct = standingQueueOf(0);
        int[] ect = standingQueueOf(2);
        // {queue-delay drops, CE-marked on arrival, counted marks, delivered, other drops}
        assertThat(notEct[0]).as("a Not-ECT sender's packets are dropped").isPositive();
        assertThat(notEct[1]).isZero();
        assertThat(notEct[2]).isZero();
        assertThat(ect[0]).as("an ECN-capable sender loses none to CoDel").isZero();
        assertThat(ect[2]).as("marks instead").isGreaterThanOrEqualTo(notEct[0] / 2);
        assertThat(ect[1]).as("every mark arrives").isEqualTo(ect[2]);
        assertThat(ect[3] + ect[4]).isEqualTo(600);
    }

    /** 600 packets of 1000 bytes at 15 Mbit/s into one 10 Mbit/s link, with the given ECN field. */
    private static int[] standingQueueOf(int ecn) {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 10 * MS))
                .capacitySearch(0)
                .build().start();
        net.runUntil(50 * MS);
        long gap = 1000 * 8 * 1_000_000_000L / (15 * MBIT);
        for (int i = 0; i < 600; i++) {
            long seq = i;
            net.clock().at(50 * MS + i * gap, () -> {
                byte[] pkt = TestPackets.ipv4Udp(2, 5000, 6000, seq, 1000);
                pkt[1] = (byte) ecn;
                net.sendFromLocal(pkt);
            });
        }
        net.runUntil(3000 * MS);
        int marked = 0;
        for (SimNetwork.Delivery d : net.deliveredAtRemote()) {
            byte[] expected = TestPackets.ipv4Udp(2, 5000, 6000, TestPackets.sequenceOf(d.packet()), 1000);
            boolean ce = (d.packet()[1] & 3) == 3;
            marked += ce ? 1 : 0;
            for (int i = 0; i < expected.length; i++) {
                if (i != 1 && i != 10 && i != 11) {
                    assertThat(d.packet()[i]).as("byte %d", i).isEqualTo(expected[i]);
                }
            }
        }
        long queueDelay = net.local().drops().get(DropReason.QUEUE_DELAY);
        return new int[] {(int) queueDelay, marked, (int) net.local().path(0).stats().ecnMarked.get(),
            net.deliveredAtRemote().size(), (int) (net.local().drops().total() - queueDelay)};
    }

    @Test
    void aBlackHoledPathTakesNoNewDataOnceItsAcksAreOverdueLongBeforeItIsDeclaredDead() {
        // 16 Mbit/s offered over 2 x 10 Mbit; link 0 silently drops everything after its 300th frame. Before silence
        // existed it kept sending until its death (300 ms later): frames the loss timer gave up on freed its window.
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).stoppingAfter(300, true))
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .build().start();
        net.runUntil(50 * MS);
        offer(net, true, 2000, 1000, MS / 2, 50 * MS);
        net.runUntil(1500 * MS);
        EnginePath cut = net.local().paths().get(0);
        long swallowed = net.localEnd(0).framesLost();
        System.out.printf("frames into the hole %d, silences %d, deaths %d, delivered %d%n", swallowed,
                cut.controller().silences(), cut.controller().deaths(), net.deliveredAtRemote().size());
        assertThat(cut.controller().deaths()).isEqualTo(1);
        assertThat(cut.controller().silences()).isPositive();
        // What was in flight at the cut (the window: 30-odd frames), what went until the ACKs were overdue (a
        // retransmission timeout, 20-odd ms), and the probes: 44 here; 269 without silence.
        assertThat(swallowed).isLessThan(60);
    }

    @Test
    void whatASilentPathHadInFlightIsRescuedOnThePathThatIsHeard() {
        // 8 Mbit/s offered over 2 x 10 Mbit, so that the surviving link alone carries it; link 0 silently drops
        // everything after its 300th frame. Every packet it swallowed was still unacknowledged when it fell silent.
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS).stoppingAfter(300, true))
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .build().start();
        net.runUntil(50 * MS);
        offer(net, true, 1000, 1000, MS, 50 * MS);
        net.runUntil(1500 * MS);
        EnginePath cut = net.local().paths().get(0);
        Set<Long> seen = new HashSet<>();
        for (SimNetwork.Delivery d : net.deliveredAtRemote()) {
            seen.add(TestPackets.sequenceOf(d.packet()));
        }
        long rescued = cut.stats().packetsRescued.get();
        System.out.printf("frames into the hole %d, rescued %d, distinct delivered %d of 1000, drops %s%n",
                net.localEnd(0).framesLost(), rescued, seen.size(), net.local().drops().nonZero());
        assertThat(net.localEnd(0).framesLost()).isGreaterThan(10);
        assertThat(rescued).isGreaterThan(10);
        assertThat(seen).hasSizeGreaterThanOrEqualTo(998);
    }

    @Test
    void idlePathsLearnTheirCapacityFromPaddingBeforeTheFirstFlowAndPaddingIsNeverDelivered() {
        // 10 Mbit / 5 ms and 30 Mbit / 60 ms, no traffic at all: both portals pad each path while its BBR is in
        // STARTUP, so its capacity is known (and its pacing near the link's rate) before any data comes.
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .link(SimLinkSpec.of(30 * MBIT, 60 * MS))
                .build().start();
        net.runUntil(2500 * MS);
        for (PortalCore side : List.of(net.local(), net.remote())) {
            assertThat(side.paths()).hasSize(2);
            for (EnginePath p : side.paths()) {
                long linkBytesPerSecond = (p.id() == 0 ? 10 : 30) * MBIT / 8;
                assertThat(p.controller().capacityKnown()).as("path %d", p.id()).isTrue();
                assertThat(p.stats().paddingSent.get()).isPositive();
                assertThat(p.controller().pacingRate()).isBetween(linkBytesPerSecond * 7 / 10,
                        linkBytesPerSecond * 13 / 10);
            }
            assertThat(side.drops().total()).isZero();
        }
        assertThat(net.deliveredAtRemote()).isEmpty();
        assertThat(net.deliveredAtLocal()).isEmpty();
        long padding = net.local().path(1).stats().paddingSent.get();
        net.runUntil(6000 * MS);
        assertThat(net.local().path(1).stats().paddingSent.get()).as("no padding once the capacity is known")
                .isEqualTo(padding);

        SimNetwork without = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS))
                .link(SimLinkSpec.of(30 * MBIT, 60 * MS))
                .capacitySearch(0)
                .build().start();
        without.runUntil(2500 * MS);
        assertThat(without.local().path(1).controller().capacityKnown()).isFalse();
        assertThat(without.local().path(1).stats().paddingSent.get()).isZero();
    }

    @Test
    void aBackupPathIsNotPadded() {
        SimNetwork net = SimNetwork.builder()
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS), 0)
                .link(SimLinkSpec.of(10 * MBIT, 5 * MS), 1)
                .build().start();
        net.runUntil(2000 * MS);
        assertThat(net.local().path(0).stats().paddingSent.get()).isPositive();
        assertThat(net.local().path(1).stats().paddingSent.get()).isZero();
        // The remote portal learns the metric from the local one's keepalives.
        assertThat(net.remote().paths()).filteredOn(p -> p.metric() == 1).singleElement()
                .satisfies(p -> assertThat(p.stats().paddingSent.get()).isZero());
        assertThat(net.remote().paths()).filteredOn(p -> p.metric() == 0).singleElement()
                .satisfies(p -> assertThat(p.stats().paddingSent.get()).isPositive());
    }
}
