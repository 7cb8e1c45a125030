package dev.multipath.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckGeneratorTest {

    private static final long MS = 1_000_000L;

    @Test
    void ackIsDueEverySecondFrameOrAfterTheDelay() {
        AckGenerator g = new AckGenerator(7, 4, 2, 5 * MS, 200);
        assertThat(g.ackDue(0)).isFalse();
        assertThat(g.nextAckTime()).isEqualTo(Long.MAX_VALUE);
        g.onFrameReceived(10, 100, 1 * MS);
        assertThat(g.ackDue(2 * MS)).isFalse();
        assertThat(g.nextAckTime()).isEqualTo(6 * MS);
        assertThat(g.ackDue(6 * MS)).isTrue();
        g.onFrameReceived(12, 100, 3 * MS);
        assertThat(g.ackDue(3 * MS)).isTrue();
        byte[] b = new byte[AckCodec.MAX_LENGTH];
        int len = g.writeAck(b, 0, 4 * MS);
        assertThat(g.ackDue(100 * MS)).isFalse();
        AckInfo a = new AckInfo();
        assertThat(AckCodec.decode(b, 0, len, a)).isTrue();
        assertThat(a.pathId).isEqualTo(7);
        assertThat(a.highestCounter).isEqualTo(12);
        assertThat(a.framesReceived).isEqualTo(2);
        assertThat(a.bytesReceived).isEqualTo(200);
        assertThat(a.holdMicros).isEqualTo(1000);
        assertThat(a.recentCount).isEqualTo(1);
        assertThat(a.recent[0]).isEqualTo(10);
    }

    @Test
    void aQuarterRttCapsTheDelay() {
        AckGenerator g = new AckGenerator(0, 4, 10, 5 * MS, 200);
        g.setRttHint(8 * MS);
        g.onFrameReceived(1, 100, 0);
        assertThat(g.nextAckTime()).isEqualTo(2 * MS);
    }

    @Test
    void listsTheHighestCountersDescendingAndIgnoresDuplicates() {
        AckGenerator g = new AckGenerator(0, 3, 100, 5 * MS, 200);
        for (long c : new long[] {5, 9, 7, 20, 15, 3}) {
            g.onFrameReceived(c, 10, 0);
        }
        assertThat(g.onFrameReceived(15, 10, 0)).isFalse();
        assertThat(g.duplicates()).isEqualTo(1);
        byte[] b = new byte[AckCodec.MAX_LENGTH];
        AckInfo a = new AckInfo();
        assertThat(AckCodec.decode(b, 0, g.writeAck(b, 0, 0), a)).isTrue();
        assertThat(a.highestCounter).isEqualTo(20);
        assertThat(a.recent[0]).isEqualTo(15);
        assertThat(a.recent[1]).isEqualTo(9);
        assertThat(a.recentCount).isEqualTo(2);
        assertThat(a.framesReceived).isEqualTo(6);
    }

    @Test
    void writesNothingBeforeTheFirstFrame() {
        assertThat(new AckGenerator(0, 3, 2, MS, 200).writeAck(new byte[64], 0, 0)).isZero();
    }

    @Test
    void smallFramesAreAcknowledgedByTheEightOrAfterTheLongerDelay() {
        AckGenerator g = new AckGenerator(0, 16, 2, 5 * MS, 1472);
        g.setRttHint(4 * MS);
        for (int i = 1; i < AckGenerator.SMALL_FRAMES_PER_ACK; i++) {
            g.onFrameReceived(i, 104, i * 100_000L);
            assertThat(g.ackDue(i * 100_000L)).as("after %d small frames", i).isFalse();
        }
        // No full frame pending: the quarter-RTT cap does not apply, the light delay (4 x 5 ms) does.
        assertThat(g.nextAckTime()).isEqualTo(100_000L + AckGenerator.LIGHT_DELAY_FACTOR * 5 * MS);
        g.onFrameReceived(100, 104, MS);
        assertThat(g.ackDue(MS)).isTrue();
        g.writeAck(new byte[AckCodec.MAX_LENGTH], 0, MS);
        // A full frame among small ones brings the short delay back, timed from the full frame.
        g.onFrameReceived(101, 104, 2 * MS);
        g.onFrameReceived(102, 1472, 3 * MS);
        assertThat(g.nextAckTime()).isEqualTo(3 * MS + MS);
        g.onFrameReceived(103, 736, 3 * MS);
        assertThat(g.ackDue(3 * MS)).as("two full frames (half the largest counts as full)").isTrue();
    }

    @Test
    void atHighFrameRatesAnAckCoversUpToItsListOfCounters() {
        // 16 listed counters, ACK every 2nd full frame, RTT 2 ms: the gap between ACKs is min(250 us, 2 ms / 16).
        long gap = 125_000;
        for (long spacing : new long[] {10_000, 50_000, 1_000_000}) {
            AckGenerator g = new AckGenerator(0, 16, 2, 5 * MS, 1472);
            g.setRttHint(2 * MS);
            java.util.List<Integer> framesPerAck = new java.util.ArrayList<>();
            long lastAck = Long.MIN_VALUE;
            int covered = 0;
            for (int i = 1; i <= 2000; i++) {
                long now = i * spacing;
                g.onFrameReceived(i, 1472, now);
                covered++;
                if (g.ackDue(now)) {
                    assertThat(covered == 16 || lastAck == Long.MIN_VALUE || now - lastAck >= gap)
                            .as("ACK at %d ns after %d frames", now, covered).isTrue();
                    g.writeAck(new byte[AckCodec.MAX_LENGTH], 0, now);
                    framesPerAck.add(covered);
                    covered = 0;
                    lastAck = now;
                } else {
                    assertThat(covered).isLessThan(16);
                    // The timer side agrees: the ACK falls due once the gap has passed.
                    assertThat(g.nextAckTime()).isLessThanOrEqualTo(Math.max(lastAck + gap, now + 5 * MS));
                }
            }
            int expected = spacing >= gap ? 2 : (int) Math.min(16, (gap + spacing - 1) / spacing);
            assertThat(framesPerAck.subList(1, framesPerAck.size())).as("spacing %d ns", spacing)
                    .allSatisfy(n -> assertThat(n).isEqualTo(expected));
        }
    }
}
