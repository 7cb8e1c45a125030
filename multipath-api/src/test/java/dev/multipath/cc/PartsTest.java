package dev.multipath.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** RTT estimator, windowed filter, pacer, controllers' basics, path health and the facade's input checks. */
class PartsTest {

    private static final long MS = 1_000_000L;

    @Test
    void rttEstimatorFollowsRfc6298() {
        RttEstimator r = new RttEstimator(100 * MS, 10_000 * MS);
        assertThat(r.smoothedRttNanos()).isEqualTo(100 * MS);
        r.onSample(40 * MS, 0, 0);
        assertThat(r.smoothedRttNanos()).isEqualTo(40 * MS);
        assertThat(r.rttVarianceNanos()).isEqualTo(20 * MS);
        r.onSample(48 * MS, 0, MS);
        assertThat(r.smoothedRttNanos()).isEqualTo(41 * MS);
        assertThat(r.rttVarianceNanos()).isEqualTo(17 * MS);
        assertThat(r.minRttNanos()).isEqualTo(40 * MS);
        // The peer's hold time is removed unless that would undercut the minimum.
        assertThat(r.onSample(50 * MS, 5 * MS, 2 * MS)).isEqualTo(45 * MS);
        assertThat(r.onSample(42 * MS, 5 * MS, 3 * MS)).isEqualTo(42 * MS);
        assertThat(r.onSample(0, 0, 4 * MS)).isEqualTo(-1);
    }

    @Test
    void windowedMinForgetsOldSamples() {
        WindowedFilter f = new WindowedFilter(false, 100);
        f.update(10, 0);
        f.update(20, 50);
        assertThat(f.get(-1)).isEqualTo(10);
        f.update(30, 160);
        assertThat(f.get(-1)).isGreaterThan(10);
        WindowedFilter max = new WindowedFilter(true, 10);
        max.update(5, 0);
        max.update(3, 1);
        assertThat(max.get(0)).isEqualTo(5);
    }

    @Test
    void pacerSpacesFramesAtTheRate() {
        Pacer p = new Pacer(2000, MS, 0);
        p.setRate(1_000_000, 0); // 1 MB/s: 1000 bytes per ms; burst max(2000, 1000) bytes
        int sent = 0;
        long now = 0;
        while (now < 100 * MS) {
            if (p.canSend(now, 1000)) {
                p.onSent(now, 1000);
                sent++;
            } else {
                long next = p.nextSendTime(now, 1000);
                assertThat(next).isGreaterThan(now);
                now = next;
            }
        }
        // 100 ms at 1 MB/s = 100 frames, plus the initial burst.
        assertThat(sent).isBetween(100, 103);
    }

    @Test
    void controllersAreSelectedByName() {
        RttEstimator r = new RttEstimator(100 * MS, 10_000 * MS);
        assertThat(CongestionControllers.create("bbr", r, 1400, 100 * MS).name()).isEqualTo("bbr");
        assertThat(CongestionControllers.create("cubic", r, 1400, 100 * MS).name()).isEqualTo("cubic");
        assertThatThrownBy(() -> CongestionControllers.create("reno", r, 1400, 100 * MS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reno");
        assertThatThrownBy(() -> PathControllerConfig.defaults().withController("x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bbrProbesTheRttOnlyWhenNoSampleCameNearTheMinFor10Seconds() {
        // A busy path whose samples sit a few ms above its 60 ms min RTT (within an eighth): no PROBE_RTT in 30 s.
        BbrLite confirmed = busyPath();
        long t = 1_000 * MS;
        for (int i = 0; i < 3_000; i++) {
            t += 10 * MS;
            confirmed.onAck(12_000, 66 * MS, 1_200_000, false, 90_000, t);
            assertThat(confirmed.mode()).isNotEqualTo(BbrLite.Mode.PROBE_RTT);
        }
        // Samples a quarter above the min (a standing queue): PROBE_RTT once the min RTT is 10 s old.
        BbrLite queued = busyPath();
        t = 1_000 * MS;
        long probeAt = -1;
        for (int i = 0; i < 1_200 && probeAt < 0; i++) {
            t += 10 * MS;
            queued.onAck(12_000, 75 * MS, 1_200_000, false, 90_000, t);
            if (queued.mode() == BbrLite.Mode.PROBE_RTT) {
                probeAt = t;
            }
        }
        assertThat(probeAt).as("entered PROBE_RTT").isBetween(10_000 * MS, 11_100 * MS);
    }

    /** A BBR path in PROBE_BW at 1.2 MB/s and 60 ms min RTT, measured up to t = 1 s. */
    private static BbrLite busyPath() {
        BbrLite b = new BbrLite(1200, 100 * MS);
        long t = 0;
        for (int i = 0; i < 100; i++) {
            t += 10 * MS;
            b.onAck(12_000, 60 * MS, 1_200_000, false, 70_000, t);
        }
        assertThat(b.mode()).isIn(BbrLite.Mode.DRAIN, BbrLite.Mode.PROBE_BW);
        return b;
    }

    @Test
    void bbrKeepsItsEstimateAndStaysInStartupThroughApplicationLimitedSamples() {
        BbrLite b = new BbrLite(1000, 100 * MS);
        // A path the scheduler keeps nearly idle: a trickle of 10 kB/s, every sample application-limited.
        long t = 0;
        for (int i = 0; i < 200; i++) {
            t += 10 * MS;
            b.onAck(100, 60 * MS, 10_000, true, 0, t);
        }
        assertThat(b.mode()).as("a trickle is no full pipe").isEqualTo(BbrLite.Mode.STARTUP);
        long startupPacing = b.pacingRateBytesPerSecond();
        assertThat(startupPacing).as("never below the initial pacing rate").isGreaterThanOrEqualTo(
                (long) (2.885 * 10 * 1000 * 1e9 / (100 * MS)) - 1);
        // Then real load: 5 MB/s samples lift the estimate; later application-limited low samples do not lower it.
        for (int i = 0; i < 20; i++) {
            t += 10 * MS;
            b.onAck(50_000, 60 * MS, 5_000_000, false, 300_000, t);
        }
        assertThat(b.bottleneckBandwidth()).isEqualTo(5_000_000);
        // Many rounds (each ACK ends one: nothing else in flight) of application-limited samples.
        for (int i = 0; i < 200; i++) {
            t += 10 * MS;
            b.onAck(50_000, 60 * MS, 10_000, true, 0, t);
        }
        assertThat(b.bottleneckBandwidth()).isEqualTo(5_000_000);
        // The same low samples, not flagged, are believed once the old maximum ages out of the window.
        for (int i = 0; i < 200; i++) {
            t += 10 * MS;
            b.onAck(50_000, 60 * MS, 10_000, false, 0, t);
        }
        assertThat(b.bottleneckBandwidth()).isLessThan(5_000_000);
    }

    @Test
    void bbrLeavesStartupWhenAQueueStandsAlthoughSamplesAreApplicationLimited() {
        // A path that shares the scheduler's queue: the queue runs dry between bursts, so every sample is flagged
        // application-limited, yet the path's own bottleneck queue stands (RTT 60 ms against 20 ms bare).
        BbrLite b = new BbrLite(1000, 100 * MS);
        long t = 0;
        for (int i = 0; i < 10; i++) {
            t += 20 * MS;
            b.onAck(1000, 20 * MS, 1_250_000, true, 0, t);
        }
        assertThat(b.mode()).isEqualTo(BbrLite.Mode.STARTUP);
        // The other direction's queue (this path carries a trickle of the inner TCP's ACKs, 100-byte frames, a few
        // in flight; its window is never full): no exit.
        for (int i = 0; i < 600; i++) {
            t += 1 * MS;
            b.onAck(100, 60 * MS, 40_000, true, 3_000, t);
        }
        assertThat(b.mode()).as("a queue that is not this path's own").isEqualTo(BbrLite.Mode.STARTUP);
        for (int i = 0; i < 60 && b.mode() == BbrLite.Mode.STARTUP; i++) {
            t += 1 * MS;
            b.onWindowLimited();
            b.onAck(10_000, 60 * MS, 1_250_000, true, 70_000, t);
        }
        assertThat(b.mode()).as("a standing queue behind a full window ends STARTUP")
                .isNotEqualTo(BbrLite.Mode.STARTUP);
        assertThat(b.capacityKnown()).isTrue();
        assertThat(b.bottleneckBandwidth()).isEqualTo(1_250_000);
    }

    @Test
    void bbrLeavesStartupWhenItHoldsAStandingQueueAndItsEstimateStopsGrowingThoughItsWindowNeverFills() {
        // The lab's first flow after the portals start (two-equal-rtt20, trace): the scheduler's queue empty (every
        // sample application-limited, the window never full), the path 2-3 BDPs in flight on a 20 ms path at RTT
        // 50 ms, its estimate flat at 10.2 Mbit/s. Before: STARTUP for the whole 4 s shown here.
        BbrLite b = new BbrLite(1472, 100 * MS);
        long t = 0;
        for (int i = 0; i < 10; i++) {
            t += 20 * MS;
            b.onAck(1472, 20 * MS, 20_000, true, 0, t);
        }
        // While the estimate still grows by a quarter a round, a queue alone does not end STARTUP.
        long rate = 200_000;
        for (int round = 0; round < 5; round++, rate = rate * 3 / 2) {
            for (int i = 0; i < 5; i++) {
                t += 10 * MS;
                b.onAck(13_000, 50 * MS, rate, true, 65_000, t);
            }
        }
        assertThat(b.mode()).as("estimate still growing").isEqualTo(BbrLite.Mode.STARTUP);
        long flatFrom = t;
        for (int i = 0; i < 400 && b.mode() == BbrLite.Mode.STARTUP; i++) {
            t += 10 * MS;
            b.onAck(13_000, 50 * MS, 1_275_000, true, 65_000, t);
        }
        assertThat(b.mode()).as("a standing queue of its own and a flat estimate end STARTUP")
                .isNotEqualTo(BbrLite.Mode.STARTUP);
        assertThat(t - flatFrom).as("within a few rounds (5 ACKs each) of the estimate going flat")
                .isLessThanOrEqualTo(6 * 5 * 10 * MS);
        assertThat(b.bottleneckBandwidth()).isEqualTo(1_275_000);
    }

    @Test
    void bbrLeavesStartupOnALossyRoundOnceItsEstimateStopsGrowingThoughEverySampleIsApplicationLimited() {
        // The lab's three-unequal, first outbound flow: the 30 Mbit / 60 ms path's estimate flat at 3.6 MB/s, every
        // sample application-limited (the inner TCP the limit), no standing queue (RTT at the minimum), then a burst
        // of the inner TCP overflows its link. Before: STARTUP throughout, pacing at 2.885 x the estimate.
        int mss = 1472;
        BbrLite b = new BbrLite(mss, 100 * MS);
        long t = 0;
        for (int i = 0; i < 200; i++) { // ~20 rounds of 10 ACKs
            t += 12 * MS;
            b.onAck(43_000, 121 * MS, 3_600_000, true, 430_000, t);
        }
        assertThat(b.mode()).isEqualTo(BbrLite.Mode.STARTUP);
        // Isolated losses (fewer than 8 frames a round) do not end it: a trickle, or noise.
        b.onLoss(5L * mss, 430_000, t);
        for (int i = 0; i < 20; i++) {
            t += 12 * MS;
            b.onAck(43_000, 121 * MS, 3_600_000, true, 430_000, t);
        }
        assertThat(b.mode()).isEqualTo(BbrLite.Mode.STARTUP);
        // A round that loses 30 frames (10 % of it): the pipe was full.
        b.onLoss(30L * mss, 430_000, t);
        for (int i = 0; i < 20 && b.mode() == BbrLite.Mode.STARTUP; i++) {
            t += 12 * MS;
            b.onAck(43_000, 121 * MS, 3_600_000, true, 430_000, t);
        }
        assertThat(b.mode()).isNotEqualTo(BbrLite.Mode.STARTUP);
        assertThat(b.capacityKnown()).isTrue();
        assertThat(b.bottleneckBandwidth()).isEqualTo(3_600_000);
    }

    @Test
    void bbrStaysInStartupThroughLossWhileItsEstimateStillGrows() {
        // A path revived after its link came back: its first bursts may overflow the link while the estimate is
        // still doubling each round; leaving STARTUP there would pace it at a fraction of its link for seconds.
        int mss = 1472;
        BbrLite b = new BbrLite(mss, 100 * MS);
        long t = 0;
        long rate = 100_000;
        for (int round = 0; round < 8; round++, rate *= 2) {
            b.onLoss(30L * mss, 200_000, t);
            for (int i = 0; i < 10; i++) {
                t += 2 * MS;
                b.onAck(20_000, 20 * MS, rate, true, 200_000, t);
            }
        }
        assertThat(b.mode()).isEqualTo(BbrLite.Mode.STARTUP);
    }

    @Test
    void bbrStaysInStartupWhileRttSamplesStayNearTheMinimum() {
        BbrLite b = new BbrLite(1000, 100 * MS);
        long t = 0;
        for (int i = 0; i < 300; i++) {
            t += 1 * MS;
            // Jitter of up to 3 ms over a 20 ms path is no queue; every other sample sees the bare RTT.
            b.onWindowLimited();
            b.onAck(10_000, (20 + (i % 2) * 3) * MS, 1_250_000, true, 70_000, t);
        }
        assertThat(b.mode()).isEqualTo(BbrLite.Mode.STARTUP);
    }

    @Test
    void cubicCutsByBetaOncePerRecoveryAndGrowsBack() {
        RttEstimator r = new RttEstimator(20 * MS, 10_000 * MS);
        r.onSample(20 * MS, 0, 0);
        Cubic c = new Cubic(r, 1000);
        for (int i = 0; i < 100; i++) {
            c.onAck(1000, 20 * MS, -1, 10_000, i * MS);
        }
        long before = c.congestionWindow();
        assertThat(before).isEqualTo(110_000);
        c.onLoss(1000, 50_000, 200 * MS);
        assertThat(c.congestionWindow()).isEqualTo(77_000);
        c.onLoss(1000, 50_000, 201 * MS);
        assertThat(c.congestionWindow()).isEqualTo(77_000);
        assertThat(c.inSlowStart()).isFalse();
        for (int i = 0; i < 2000; i++) {
            c.onAck(1000, 20 * MS, -1, 70_000, 230 * MS + i * MS / 10);
        }
        assertThat(c.congestionWindow()).isGreaterThan(77_000);
    }

    @Test
    void pathHealthDiesAfterTheDeadlineAndRevivesOnReply() {
        PathHealth h = new PathHealth(100 * MS, 250 * MS, 1000 * MS, 300 * MS, 150 * MS, 0);
        h.onDataSent(10 * MS, true);
        assertThat(h.isAlive(309 * MS, 20 * MS)).isTrue();
        assertThat(h.probeDue(100 * MS)).isTrue();
        byte[] probe = new byte[ProbeCodec.LENGTH];
        h.writeProbe(probe, 0, 100 * MS);
        assertThat(h.probeDue(150 * MS)).isFalse();
        assertThat(h.isAlive(310 * MS, 20 * MS)).isFalse();
        assertThat(h.deaths()).isEqualTo(1);
        assertThat(h.probeDue(310 * MS)).isTrue();
        // A reply to an old probe still proves the path works now.
        assertThat(h.onProbeReply(probe, 0, probe.length, 400 * MS)).isEqualTo(300 * MS);
        assertThat(h.isAlive(400 * MS, 20 * MS)).isTrue();
        assertThat(h.revivals()).isEqualTo(1);
        // Replayed or malformed replies are refused.
        assertThat(h.onProbeReply(probe, 0, probe.length, 401 * MS)).isEqualTo(-1);
        assertThat(h.onProbeReply(probe, 0, 5, 401 * MS)).isEqualTo(-1);
        assertThat(h.repliesRejected()).isEqualTo(2);
    }

    @Test
    void aBusyPathTurnsSilentLongBeforeItDiesIsProbedAtOnceAndAnAnswerEndsIt() {
        PathHealth h = new PathHealth(100 * MS, 250 * MS, 1000 * MS, 300 * MS, 50 * MS, 0);
        h.setSilenceAfter(20 * MS, 35 * MS);
        h.onDataSent(10 * MS, true);
        h.onDataSent(12 * MS, true);
        assertThat(h.isSilent(29 * MS)).isFalse();
        assertThat(h.nextProbeTime(29 * MS)).isEqualTo(30 * MS);
        assertThat(h.isSilent(30 * MS)).isTrue();
        assertThat(h.isSilentView()).isTrue();
        assertThat(h.isAlive(30 * MS, 5 * MS)).isTrue();
        assertThat(h.probeDue(30 * MS)).isTrue();
        byte[] probe = new byte[ProbeCodec.LENGTH];
        h.writeProbe(probe, 0, 30 * MS);
        // Probed once for this silence; the next probe follows the usual interval.
        assertThat(h.probeDue(31 * MS)).isFalse();
        assertThat(h.onProbeReply(probe, 0, probe.length, 32 * MS)).isEqualTo(2 * MS);
        assertThat(h.isSilentView()).isFalse();
        assertThat(h.isSilent(40 * MS)).isFalse();
        assertThat(h.silences()).isEqualTo(1);
        // A silence that nothing answers ends in death, at the usual deadline.
        h.onDataSent(50 * MS, true);
        assertThat(h.isSilent(70 * MS)).isTrue();
        assertThat(h.isAlive(349 * MS, 5 * MS)).isTrue();
        assertThat(h.isAlive(350 * MS, 5 * MS)).isFalse();
        assertThat(h.isSilentView()).isFalse();
        assertThat(h.silences()).isEqualTo(2);
    }

    @Test
    void smallFramesTurnAPathSilentLaterAndAnUnknownRttNever() {
        // The peer may hold a small frame's ACK four times as long as a full frame's.
        PathHealth h = new PathHealth(100 * MS, 250 * MS, 1000 * MS, 300 * MS, 50 * MS, 0);
        h.setSilenceAfter(20 * MS, 35 * MS);
        h.onDataSent(10 * MS, false);
        assertThat(h.isSilent(44 * MS)).isFalse();
        assertThat(h.nextProbeTime(44 * MS)).isEqualTo(45 * MS);
        assertThat(h.isSilent(45 * MS)).isTrue();
        // A full frame sent later does not move the deadline the small one set.
        h.onDataSent(46 * MS, true);
        assertThat(h.isSilent(47 * MS)).isTrue();
        PathHealth noRtt = new PathHealth(100 * MS, 250 * MS, 1000 * MS, 300 * MS, 50 * MS, 0);
        noRtt.onDataSent(10 * MS, true);
        assertThat(noRtt.isSilent(200 * MS)).isFalse();
    }

    @Test
    void slowPathsGetALongerDeadline() {
        PathHealth h = new PathHealth(100 * MS, 250 * MS, 1000 * MS, 300 * MS, 150 * MS, 0);
        h.onDataSent(0, true);
        assertThat(h.isAlive(350 * MS, 200 * MS)).isTrue();
        assertThat(h.isAlive(400 * MS, 200 * MS)).isFalse();
    }

    @Test
    void controllerRejectsAcksForOtherPathsAndJunk() {
        PathController pc = new PathController(3, PathControllerConfig.defaults(), 0);
        PathController other = new PathController(4, PathControllerConfig.defaults(), 0);
        other.onFrameReceived(1, 100, 0);
        byte[] b = new byte[AckCodec.MAX_LENGTH];
        int len = other.writeAck(b, 0, 0);
        assertThat(PathController.ackedPathId(b, 0, len)).isEqualTo(4);
        assertThat(pc.onAckFrame(b, 0, len, 0)).isFalse();
        assertThat(pc.onAckFrame(new byte[3], 0, 3, 0)).isFalse();
        assertThat(pc.onAckFrame(b, 0, len - 1, 0)).isFalse();
        assertThat(pc.badAcks()).isEqualTo(3);
        assertThat(pc.onProbeReply(new byte[20], 0, 20, 0)).isFalse();
        assertThat(pc.canSend(0, 1472)).isTrue();
    }

    @Test
    void anIdleSampleReplacesTheSmoothedRttOfTheLastBusyMoment() {
        RttEstimator r = new RttEstimator(100 * MS, 10_000 * MS);
        for (int k = 0; k < 20; k++) {
            r.onSample(200 * MS, 0, k * MS); // busy: 140 ms of queue on a 60 ms path
        }
        r.onSample(60 * MS, 0, 30 * MS);
        assertThat(r.smoothedRttNanos()).isGreaterThan(150 * MS); // one ordinary sample moves it by 1/8 only
        r.onIdleSample(60 * MS, 40 * MS);
        assertThat(r.smoothedRttNanos()).isEqualTo(60 * MS);
        assertThat(r.minRttNanos()).isEqualTo(60 * MS);
        assertThat(r.onIdleSample(0, 50 * MS)).isEqualTo(-1);
    }

    /** Answers a probe of {@code pc} written at {@code sentAt}, the reply arriving at {@code at}. */
    private static boolean probeRoundTrip(PathController pc, long sentAt, long at) {
        byte[] probe = new byte[64];
        byte[] reply = new byte[64];
        int len = pc.writeProbe(probe, 0, sentAt);
        int replyLen = PathController.writeProbeReply(probe, 0, len, reply, 0);
        return pc.onProbeReply(reply, 0, replyLen, at);
    }

    @Test
    void aPathSearchesForItsCapacityFromItsFirstRttSampleForTheBudgetAndAgainAfterItDied() {
        long budget = 3000 * MS;
        PathController pc = new PathController(1, PathControllerConfig.defaults(), 0);
        assertThat(pc.searchesCapacity(5 * MS, budget)).as("no RTT sample yet").isFalse();
        assertThat(probeRoundTrip(pc, 10 * MS, 30 * MS)).isTrue();
        assertThat(pc.searchesCapacity(100 * MS, 0)).as("turned off").isFalse();
        assertThat(pc.searchesCapacity(100 * MS, budget)).isTrue(); // the search starts here
        assertThat(pc.searchesCapacity(3099 * MS, budget)).isTrue();
        assertThat(pc.searchesCapacity(3101 * MS, budget)).as("budget spent").isFalse();

        // A data frame goes unanswered: the path dies, and its controller starts over when a probe revives it.
        pc.onFrameSent(1, 1472, 3200 * MS);
        assertThat(pc.isAlive(4000 * MS)).isFalse();
        assertThat(pc.searchesCapacity(4000 * MS, budget)).isFalse();
        assertThat(probeRoundTrip(pc, 4010 * MS, 4030 * MS)).isTrue();
        assertThat(pc.isAlive(4031 * MS)).isTrue();
        assertThat(pc.searchesCapacity(4040 * MS, budget)).as("a revived path searches again").isTrue();
        assertThat(pc.searchesCapacity(7041 * MS, budget)).isFalse();
    }
}
