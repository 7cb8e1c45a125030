package dev.multipath.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AckGeneratorTest {

    private static final long MS = 1_000_000L;

    @Test
    void ackIsDueEverySecondFrameOrAfterTheDelay() {
        AckGenerator g = new AckGenerator(7, 4, 2, 5 * MS);
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
        AckGenerator g = new AckGenerator(0, 4, 10, 5 * MS);
        g.setRttHint(8 * MS);
        g.onFrameReceived(1, 100, 0);
        assertThat(g.nextAckTime()).isEqualTo(2 * MS);
    }

    @Test
    void listsTheHighestCountersDescendingAndIgnoresDuplicates() {
        AckGenerator g = new AckGenerator(0, 3, 100, 5 * MS);
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
        assertThat(new AckGenerator(0, 3, 2, MS).writeAck(new byte[64], 0, 0)).isZero();
    }
}
