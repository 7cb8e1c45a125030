package dev.multipath.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SentPacketTrackerTest {

    private static final long MS = 1_000_000L;
    private static final long LOSS_DELAY = 50 * MS;
    private static final long EXPIRY = 500 * MS;

    private static AckInfo ack(long frames, long bytes, long holdUs, long highest, long... recent) {
        AckInfo a = new AckInfo();
        a.highestCounter = highest;
        a.framesReceived = frames;
        a.bytesReceived = bytes;
        a.holdMicros = holdUs;
        a.recentCount = recent.length;
        System.arraycopy(recent, 0, a.recent, 0, recent.length);
        return a;
    }

    @Test
    void ackGivesRttAckedBytesAndRate() {
        SentPacketTracker t = new SentPacketTracker(64);
        // Counters interleave with another path's: 10, 13, 17.
        t.onSent(10, 1000, 0);
        t.onSent(13, 1000, 1 * MS);
        t.onSent(17, 1000, 2 * MS);
        assertThat(t.bytesInFlight()).isEqualTo(3000);
        assertThat(t.onAck(ack(2, 2000, 500, 13, 10), 21 * MS)).isTrue();
        assertThat(t.ackedBytes()).isEqualTo(2000);
        assertThat(t.rttSampleNanos()).isEqualTo(20 * MS);
        assertThat(t.ackDelayNanos()).isEqualTo(500_000);
        assertThat(t.deliveryRateSample()).isEqualTo(2000L * 1_000_000_000L / (21 * MS));
        assertThat(t.bytesInFlight()).isEqualTo(1000);
        assertThat(t.detectLosses(21 * MS, LOSS_DELAY, EXPIRY)).isZero();
        assertThat(t.trackedFrames()).isEqualTo(1);
    }

    @Test
    void framesSentWhileApplicationLimitedGiveFlaggedSamplesUntilWhatWasInFlightIsDelivered() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.onSent(1, 1000, 0);
        t.onAppLimited(); // 1000 B in flight: the mark is at 1000 delivered bytes
        t.onSent(2, 1000, 1 * MS);
        assertThat(t.onAck(ack(1, 1000, 0, 1), 20 * MS)).isTrue();
        assertThat(t.deliveryRateSample()).isPositive();
        assertThat(t.deliveryRateSampleAppLimited()).as("frame 1 went before the sender ran dry").isFalse();
        t.onSent(3, 1000, 21 * MS); // sent while the mark is not yet passed (delivered = 1000)
        assertThat(t.onAck(ack(2, 2000, 0, 2), 22 * MS)).isTrue();
        assertThat(t.deliveryRateSampleAppLimited()).as("frame 2 went while the sender had nothing more").isTrue();
        t.onSent(4, 1000, 23 * MS); // delivered (2000) passed the mark: no longer limited
        assertThat(t.onAck(ack(3, 3000, 0, 3), 41 * MS)).isTrue();
        assertThat(t.deliveryRateSampleAppLimited()).isTrue();
        assertThat(t.onAck(ack(4, 4000, 0, 4), 43 * MS)).isTrue();
        assertThat(t.deliveryRateSampleAppLimited()).isFalse();
    }

    @Test
    void aHoleIsLostAfterThreeLaterFramesAreAcked() {
        SentPacketTracker t = new SentPacketTracker(64);
        for (int c = 1; c <= 5; c++) {
            t.onSent(c * 2, 100, c * MS);
        }
        // Counter 2 never arrives; 4 and 6 do: not yet lost (reordering tolerance).
        t.onAck(ack(2, 200, 0, 6, 4), 30 * MS);
        assertThat(t.detectLosses(30 * MS, LOSS_DELAY, EXPIRY)).isZero();
        t.onAck(ack(3, 300, 0, 8, 6, 4), 31 * MS);
        assertThat(t.detectLosses(31 * MS, LOSS_DELAY, EXPIRY)).isEqualTo(100);
        assertThat(t.totalLostFrames()).isEqualTo(1);
        assertThat(t.bytesInFlight()).isEqualTo(100);
    }

    @Test
    void aHoleIsLostByTimeEvenWithoutThreeLaterFrames() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.onSent(1, 100, 0);
        t.onSent(2, 100, 0);
        t.onAck(ack(1, 100, 0, 2), 20 * MS);
        assertThat(t.detectLosses(20 * MS, LOSS_DELAY, EXPIRY)).isZero();
        assertThat(t.nextLossCheckTime(LOSS_DELAY, EXPIRY)).isEqualTo(LOSS_DELAY);
        assertThat(t.detectLosses(LOSS_DELAY, LOSS_DELAY, EXPIRY)).isEqualTo(100);
    }

    @Test
    void deliveriesHiddenByLostAcksAreCreditedNotCalledLost() {
        SentPacketTracker t = new SentPacketTracker(64);
        for (int c = 1; c <= 10; c++) {
            t.onSent(c, 100, 0);
        }
        // Only the latest ACK arrives; it lists 10, 9 but counts all 10 frames.
        t.onAck(ack(10, 1000, 0, 10, 9), 20 * MS);
        t.detectLosses(20 * MS, LOSS_DELAY, EXPIRY);
        assertThat(t.totalLostFrames()).isZero();
        assertThat(t.bytesInFlight()).isZero();
        assertThat(t.ackedBytes()).isEqualTo(1000);
    }

    @Test
    void deliveriesOfFramesForgottenAtADeathAreNotCreditedToTheNextSample() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.setMinRateIntervalNanos(4 * MS);
        for (int c = 1; c <= 10; c++) {
            t.onSent(c, 100, c * MS);
        }
        t.onAck(ack(10, 1000, 0, 10, 9), 12 * MS);
        // Frames 11-15 reach the receiver, but their ACKs are lost; the path is declared dead and forgets them.
        for (int c = 11; c <= 15; c++) {
            t.onSent(c, 100, (20 + c) * MS);
        }
        t.discardAll();
        // Revived: 16-20 go out one per ms; the first ACK counts all 20 frames the receiver ever got since the last.
        for (int c = 16; c <= 20; c++) {
            t.onSent(c, 100, (1000 + c) * MS);
        }
        t.onAck(ack(20, 2000, 0, 20, 19, 18, 17, 16), 1022 * MS);
        assertThat(t.ackedBytes()).isEqualTo(500);
        // 500 bytes really went in about 6 ms (83 kB/s); crediting the forgotten 500 gave twice that.
        assertThat(t.deliveryRateSample()).isLessThanOrEqualTo(100_000);
        // The next ACK is credited normally.
        t.onSent(21, 100, 1022 * MS);
        t.onAck(ack(21, 2100, 0, 21), 1024 * MS);
        assertThat(t.ackedBytes()).isEqualTo(100);
        assertThat(t.bytesInFlight()).isZero();
    }

    @Test
    void staleAndInvalidAcksChangeNothing() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.onSent(1, 100, 0);
        t.onSent(2, 100, 0);
        assertThat(t.onAck(ack(1, 100, 0, 99), MS)).isFalse();
        assertThat(t.rejectedAcks()).isEqualTo(1);
        assertThat(t.onAck(ack(2, 200, 0, 2, 1), MS)).isTrue();
        assertThat(t.onAck(ack(1, 100, 0, 1), 2 * MS)).isFalse();
        assertThat(t.staleAcks()).isEqualTo(1);
        assertThat(t.bytesInFlight()).isZero();
    }

    @Test
    void refusesNonIncreasingCountersAndAFullRing() {
        SentPacketTracker t = new SentPacketTracker(16);
        assertThat(t.onSent(5, 1, 0)).isTrue();
        assertThat(t.onSent(5, 1, 0)).isFalse();
        for (int c = 6; c < 21; c++) {
            assertThat(t.onSent(c, 1, 0)).isTrue();
        }
        assertThat(t.isFull()).isTrue();
        assertThat(t.onSent(100, 1, 0)).isFalse();
        t.discardAll();
        assertThat(t.bytesInFlight()).isZero();
        assertThat(t.onSent(101, 1, 0)).isTrue();
    }

    @Test
    void oldFramesExpireWhenNoAckComes() {
        SentPacketTracker t = new SentPacketTracker(16);
        t.onSent(1, 100, 0);
        assertThat(t.detectLosses(EXPIRY - 1, LOSS_DELAY, EXPIRY)).isZero();
        assertThat(t.detectLosses(EXPIRY, LOSS_DELAY, EXPIRY)).isEqualTo(100);
    }

    @Test
    void aRateSampleShorterThanTheMinimumIntervalIsDiscarded() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.setMinRateIntervalNanos(4 * MS);
        // An idle path: two frames pass a shaper's bucket and are acked 60 us later (would read 380 Mbit/s).
        t.onSent(1, 1424, 0);
        t.onSent(2, 1424, 10_000);
        assertThat(t.onAck(ack(2, 2848, 0, 2, 1), 70_000)).isTrue();
        assertThat(t.deliveryRateSample()).isEqualTo(-1);
    }

    @Test
    void aShortRateSampleIsMeasuredFromAnOlderFrameSoThatItSpansTheMinimumInterval() {
        SentPacketTracker t = new SentPacketTracker(64);
        t.setMinRateIntervalNanos(4 * MS);
        // 1000 bytes every ms, each acked 0.1 ms after it is sent: per frame that reads 10 MB/s, the path gives 1.
        for (int k = 1; k <= 10; k++) {
            t.onSent(k, 1000, k * MS);
            assertThat(t.onAck(ack(k, k * 1000L, 0, k), k * MS + 100_000)).isTrue();
        }
        // The last sample runs from frame 6's send (at 6 ms on an idle path, so its delivery clock restarts there;
        // 5000 bytes acknowledged then) to 10.1 ms: 5000 bytes in 4.1 ms, not 1000 bytes in 0.1 ms.
        assertThat(t.deliveryRateSample()).isEqualTo(5000L * 1_000_000_000L / (4_100_000L));
    }

    @Test
    void theControllersMinimumIntervalKeepsAShapersBucketFromInflatingTheRate() {
        // A 10 Mbit/s near-zero-RTT path behind a token-bucket shaper (tbf, 3200-byte bucket, as in the lab),
        // carrying bursts: 20 frames paced at 12.5 Mbit/s, then 10 ms idle, so the bucket is full when each burst
        // starts and its first two frames pass at once. Samples over a few frames read the bucket, not the rate.
        // Lab (four-equal, inner BBR): with a 4 ms minimum the paths' estimates read 12-15 Mbit/s on 10 Mbit links.
        long trueRate = 10_000_000 / 8;
        assertThat(maxRateSample(PathController.MIN_RATE_INTERVAL_NANOS)).isLessThan((long) (trueRate * 1.25));
        assertThat(maxRateSample(4 * MS)).as("the bucket inflates short samples")
                .isGreaterThan((long) (trueRate * 1.45));
    }

    private static long maxRateSample(long minInterval) {
        SentPacketTracker t = new SentPacketTracker(1024);
        t.setMinRateIntervalNanos(minInterval);
        int frame = 1472;
        SimLink link = new SimLink(SimLink.mbit(10), 50_000, 1 << 20);
        link.burstBytes = 3200;
        int perBurst = 20;
        long[] sent = new long[20 * perBurst + 1];
        long[] arrived = new long[sent.length];
        long time = 0;
        for (int k = 1; k < sent.length; k++) {
            time += (k % perBurst == 1) ? 10 * MS : 941_000; // 12.5 Mbit/s within a burst
            sent[k] = time;
            arrived[k] = link.send(time, frame);
        }
        long max = 0;
        int nextSend = 1;
        for (int k = 2; k < sent.length; k += 2) {
            long ackAt = arrived[k] + 50_000; // every second frame is acknowledged
            while (nextSend < sent.length && sent[nextSend] <= ackAt) {
                t.onSent(nextSend, frame, sent[nextSend]);
                nextSend++;
            }
            assertThat(t.onAck(ack(k, (long) k * frame, 0, k, k - 1), ackAt)).isTrue();
            max = Math.max(max, t.deliveryRateSample());
        }
        return max;
    }
}
