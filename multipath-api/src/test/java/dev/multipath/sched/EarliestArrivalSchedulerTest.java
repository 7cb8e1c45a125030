package dev.multipath.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.PathView;
import dev.multipath.buffer.Packet;
import org.junit.jupiter.api.Test;

class EarliestArrivalSchedulerTest {

    /** A path with a fixed rate and RTT. */
    static final class Path implements PathView {
        final int id;
        final long rate;
        final long rtt;
        final int metric;
        boolean usable = true;
        boolean capacityKnown = true;
        long minRtt;

        Path(int id, long rateBytes, long rttNanos, int metric) {
            this.id = id;
            this.rate = rateBytes;
            this.rtt = rttNanos;
            this.metric = metric;
        }

        @Override public int id() { return id; }
        @Override public String name() { return "p" + id; }
        @Override public int metric() { return metric; }
        @Override public boolean isUsable() { return usable; }
        @Override public long smoothedRttNanos() { return rtt; }
        @Override public long deliveryRateBytesPerSecond() { return rate; }
        @Override public long queuedBytes() { return 0; }
        @Override public boolean capacityKnown() { return capacityKnown; }
        @Override public long minRttNanos() { return minRtt; }
    }

    private static Packet packet(int len) {
        Packet p = new Packet(1500);
        p.setLength(len);
        return p;
    }

    @Test
    void slowLongPathTakesOnlyWhatTheFastPathCannotDeliverFirst() {
        // fast: 5 MB/s (40 Mbit/s), 10 ms RTT; slow: 1.25 MB/s (10 Mbit/s), 60 ms RTT.
        Path fastShort = new Path(0, 5_000_000, 10_000_000, 0);
        Path slowLong = new Path(1, 1_250_000, 60_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(1024, 1_000_000_000L);
        s.addPath(fastShort);
        s.addPath(slowLong);
        // The slow path's one-way delay is 25 ms more: in that time the fast path delivers 25 ms x 5 MB/s = 125 kB.
        for (int i = 0; i < 80; i++) { // 80 x 1250 B = 100 kB
            assertThat(s.offer(packet(1250))).isTrue();
        }
        assertThat(s.hasWork(slowLong)).isFalse();
        assertThat(s.poll(slowLong)).isNull();
        assertThat(s.hasWork(fastShort)).isTrue();
        for (int i = 0; i < 40; i++) { // 150 kB queued
            s.offer(packet(1250));
        }
        int onSlow = 0;
        while (s.poll(slowLong) != null) {
            onSlow++;
        }
        // It takes the 25 kB beyond what the fast path delivers first, then leaves the rest to it.
        assertThat(onSlow).isEqualTo(20);
        assertThat(s.queuedPackets()).isEqualTo(100);
    }

    @Test
    void whenThePeerEqualizesDelaysALongerPathTakesFullSizePacketsAtOnceAndSmallOnesStillWait() {
        // The lab's rate-delay links as the local portal sees them once both know their capacity: short 10 Mbit/s,
        // 10 ms RTT; long 40 Mbit/s measured at only 0.8 Mbit/s so far (it carried little), 60 ms RTT.
        Path shortPath = new Path(0, 1_250_000, 10_000_000, 0);
        Path longPath = new Path(1, 100_000, 60_000_000, 0);
        shortPath.minRtt = 10_000_000;
        longPath.minRtt = 60_000_000;
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(shortPath);
        s.addPath(longPath);
        for (int i = 0; i < 10; i++) {
            s.offer(packet(1400)); // 14 kB: the short path delivers it before a packet on the long one arrives
        }
        assertThat(s.hasWork(longPath)).as("without the peer's equalizer: earliest arrival").isFalse();
        s.setPeerEqualizes(true);
        // The peer holds the short path's full-size packets for 25 ms: they arrive no earlier than the long path's.
        assertThat(s.hasWork(longPath)).isTrue();
        assertThat(s.poll(longPath)).isNotNull();
        s.drainTo(p -> { });
        s.offer(packet(80)); // an ACK is not equalized: it still waits for the short path
        assertThat(s.hasWork(longPath)).isFalse();
        assertThat(s.hasWork(shortPath)).isTrue();
    }

    @Test
    void whenThePeerEqualizesDelaysASearchingLongerPathIsNotHeldBackFromALightQueueOfFullSizePackets() {
        // The first flow after start: both paths still in STARTUP, a few full-size packets queued.
        Path shortPath = new Path(0, 100_000, 10_000_000, 0);
        Path longPath = new Path(1, 10_000, 60_000_000, 0);
        shortPath.capacityKnown = false;
        longPath.capacityKnown = false;
        shortPath.minRtt = 10_000_000;
        longPath.minRtt = 60_000_000;
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(shortPath);
        s.addPath(longPath);
        s.offer(packet(1400));
        assertThat(s.hasWork(longPath)).as("without the peer's equalizer: left to the short path").isFalse();
        s.setPeerEqualizes(true);
        assertThat(s.hasWork(longPath)).isTrue();
        s.drainTo(p -> { });
        s.offer(packet(80));
        assertThat(s.hasWork(longPath)).as("a small packet still waits").isFalse();
    }

    @Test
    void aLongPathThatCarriesMoreThanTheShortOnesIsNeverHeldBack() {
        // short: 10 Mbit/s, 10 ms RTT; long: 40 Mbit/s, 60 ms RTT (the lab's rate-delay scenario).
        Path shortPath = new Path(0, 1_250_000, 10_000_000, 0);
        Path longPath = new Path(1, 5_000_000, 60_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(shortPath);
        s.addPath(longPath);
        s.offer(packet(1250));
        // By arrival time alone it would wait (the short path delivers 31 kB before it); by capacity it must not.
        assertThat(s.hasWork(longPath)).isTrue();
        assertThat(s.poll(longPath)).isNotNull();
    }

    @Test
    void pathsOfSimilarDelayAreNotHeldBackOnQueueingNoise() {
        // 10 and 20 Mbit/s, both 20 ms links; the larger one's smoothed RTT reads 6 ms more (its queue).
        Path small = new Path(0, 1_250_000, 20_000_000, 0);
        Path large = new Path(1, 1_000_000, 26_000_000, 0); // its measured rate even reads lower for now
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(small);
        s.addPath(large);
        s.offer(packet(1250));
        assertThat(s.hasWork(large)).isTrue();
        assertThat(s.poll(large)).isNotNull();
    }

    @Test
    void aPathStillSearchingForItsCapacityTakesFromAStandingQueueOnly() {
        Path fastShort = new Path(0, 5_000_000, 10_000_000, 0);
        Path slowLong = new Path(1, 1_250_000, 60_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(fastShort);
        s.addPath(slowLong);
        s.offer(packet(1250));
        assertThat(s.hasWork(slowLong)).as("capacity known: held back").isFalse();
        fastShort.capacityKnown = false; // both searching: light traffic (the other direction's ACKs)
        // Light traffic (the other direction's ACKs) goes on the fast path even while the slow one searches: on the
        // slow one it would arrive 25 ms later and hold every later packet of its flow at the receiver.
        slowLong.capacityKnown = false;
        assertThat(s.hasWork(slowLong)).as("light queue: held back while searching").isFalse();
        // From a standing queue it takes packets like any path (its measured rate may be only the trickle it was
        // given: it must carry to find its capacity).
        for (int i = 0; i < 5; i++) {
            s.offer(packet(1250));
        }
        assertThat(s.hasWork(slowLong)).isTrue();
        assertThat(s.poll(slowLong)).isNotNull();
        while (s.queuedPackets() > 1) {
            s.poll(fastShort);
        }
        // Once a faster path knows its capacity (it may be full: data, not ACKs), light traffic is no reason to wait.
        fastShort.capacityKnown = true;
        assertThat(s.hasWork(slowLong)).isTrue();
        fastShort.capacityKnown = false;
        assertThat(s.hasWork(slowLong)).isFalse();
    }

    @Test
    void smallPacketsWaitForAFasterPathWhateverTheSlowerOnesCapacity() {
        // The lab's rate-delay links seen from the portal that sends the inner TCP's ACKs: the long path carries more
        // than the short one, and it may be searching or know its capacity; either way ACKs belong on the short path.
        Path shortPath = new Path(0, 1_250_000, 10_000_000, 0);
        Path longPath = new Path(1, 5_000_000, 60_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(1024, 1_000_000_000L);
        s.addPath(shortPath);
        s.addPath(longPath);
        for (int i = 0; i < 100; i++) { // a burst of 100 ACKs: 6.6 kB, more than a light queue
            s.offer(packet(66));
        }
        for (boolean searching : new boolean[] {false, true}) {
            longPath.capacityKnown = !searching;
            shortPath.capacityKnown = true;
            assertThat(s.hasWork(longPath)).as("long path searching: " + searching).isFalse();
            assertThat(s.poll(longPath)).isNull();
            shortPath.capacityKnown = false;
            assertThat(s.hasWork(longPath)).as("both searching, long path searching: " + searching).isFalse();
        }
        assertThat(s.poll(shortPath)).isNotNull();
        // A full-size packet at the head is data: the long path takes it as before (it carries more than the short).
        while (s.poll(shortPath) != null) {
        }
        s.offer(packet(1400));
        s.offer(packet(66));
        assertThat(s.poll(longPath)).isNotNull();
        // Once small packets pile up beyond what the short path sends in ~10 ms, the long path helps.
        for (int i = 0; i < 300; i++) {
            s.offer(packet(66));
        }
        assertThat(s.poll(longPath)).isNotNull();
    }

    @Test
    void smallPacketsJudgeAPathByItsPropagationDelayNotTheOtherDirectionsQueue() {
        // three-unequal from the portal that sends the ACKs: the 8 ms path's smoothed RTT carries the other
        // direction's data queue (36 ms), more than half the 25 ms path's 58 ms; its min RTT is still 16 ms.
        Path shortPath = new Path(0, 750_000, 36_000_000, 0);
        Path midPath = new Path(1, 2_250_000, 58_000_000, 0);
        shortPath.minRtt = 16_000_000;
        midPath.minRtt = 50_000_000;
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(shortPath);
        s.addPath(midPath);
        s.offer(packet(66));
        assertThat(s.poll(midPath)).as("the ACK waits for the short path").isNull();
        // Once the short path's round trip is longer than the other's (its own queue), it is not waited for.
        Path queued = new Path(2, 750_000, 70_000_000, 0);
        queued.minRtt = 16_000_000;
        EarliestArrivalScheduler t = new EarliestArrivalScheduler(64, 1_000_000_000L);
        t.addPath(queued);
        t.addPath(midPath);
        t.offer(packet(66));
        assertThat(t.poll(midPath)).isNotNull();
    }

    @Test
    void smallPacketsOnPathsOfSimilarDelayGoOnEither() {
        Path a = new Path(0, 1_250_000, 20_000_000, 0);
        Path b = new Path(1, 1_250_000, 26_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(a);
        s.addPath(b);
        s.offer(packet(66));
        assertThat(s.poll(b)).isNotNull();
    }

    @Test
    void equalPathsBothTakeLikeTheGreedyScheduler() {
        // 10 Mbit/s each; one RTT 1 ms longer (noise): it waits only while the queue is under 1.25 MB/s x 0.5 ms.
        Path a = new Path(0, 1_250_000, 10_000_000, 0);
        Path b = new Path(1, 1_250_000, 11_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(a);
        s.addPath(b);
        for (int i = 0; i < 4; i++) {
            s.offer(packet(1250));
        }
        assertThat(s.poll(b)).isNotNull();
        assertThat(s.poll(a)).isNotNull();
        assertThat(s.poll(b)).isNotNull();
        assertThat(s.queuedPackets()).isEqualTo(1);
    }

    @Test
    void aPathWithoutMeasurementsNeverHoldsBack() {
        Path measured = new Path(0, 1_250_000, 10_000_000, 0);
        Path fresh = new Path(1, 0, 0, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(measured);
        s.addPath(fresh);
        s.offer(packet(1250));
        assertThat(s.poll(fresh)).isNotNull();
    }

    @Test
    void refusesPacketsThatWouldWaitTooLong() {
        Path p = new Path(0, 125_000, 0, 0); // 1 Mbit/s
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(1024, 50_000_000L); // 50 ms max
        s.addPath(p);
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (s.offer(packet(1250))) {
                accepted++;
            }
        }
        // 50 ms at 125 kB/s = 6250 B: accepted while at most 5 packets of 1250 B wait ahead.
        assertThat(accepted).isEqualTo(6);
    }

    @Test
    void aDeadPathsShareGoesToTheLiveOne() {
        Path a = new Path(0, 1_000_000, 10_000_000, 0);
        Path b = new Path(1, 1_000_000, 10_000_000, 0);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(a);
        s.addPath(b);
        for (int i = 0; i < 10; i++) {
            s.offer(packet(1000));
        }
        assertThat(s.hasWork(a)).isTrue();
        a.usable = false;
        assertThat(s.poll(a)).isNull();
        int n = 0;
        while (s.poll(b) != null) {
            n++;
        }
        assertThat(n).isEqualTo(10);
    }

    @Test
    void backupTierIdlesWhilePrimaryIsUsable() {
        Path primary = new Path(0, 100_000, 10_000_000, 0);
        Path backup = new Path(1, 10_000_000, 1_000_000, 1);
        EarliestArrivalScheduler s = new EarliestArrivalScheduler(64, 1_000_000_000L);
        s.addPath(primary);
        s.addPath(backup);
        s.offer(packet(1000));
        assertThat(s.hasWork(backup)).isFalse();
        primary.usable = false;
        s.offer(packet(1000));
        assertThat(s.hasWork(backup)).isTrue();
    }
}
