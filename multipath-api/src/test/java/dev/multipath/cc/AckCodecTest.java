package dev.multipath.cc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class AckCodecTest {

    @Property
    void roundTrips(@ForAll("acks") AckInfo ack) {
        byte[] b = new byte[AckCodec.MAX_LENGTH + 5];
        int len = AckCodec.encode(ack, b, 3);
        assertThat(len).isEqualTo(AckCodec.encodedLength(ack)).isBetween(AckCodec.MIN_LENGTH, AckCodec.MAX_LENGTH);
        AckInfo out = new AckInfo();
        assertThat(AckCodec.decode(b, 3, len, out)).isTrue();
        assertThat(out.pathId).isEqualTo(ack.pathId);
        assertThat(out.highestCounter).isEqualTo(ack.highestCounter);
        assertThat(out.framesReceived).isEqualTo(ack.framesReceived & 0xffff_ffffL);
        assertThat(out.bytesReceived).isEqualTo(ack.bytesReceived & ((1L << 48) - 1));
        assertThat(out.holdMicros).isEqualTo(Math.min(ack.holdMicros, (1 << 24) - 1));
        assertThat(Arrays.copyOf(out.recent, out.recentCount)).containsExactly(Arrays.copyOf(ack.recent,
                ack.recentCount));
    }

    @Property
    void everyTruncationIsRejected(@ForAll("acks") AckInfo ack) {
        byte[] b = new byte[AckCodec.MAX_LENGTH];
        int len = AckCodec.encode(ack, b, 0);
        AckInfo out = new AckInfo();
        for (int cut = 0; cut < len; cut++) {
            assertThat(AckCodec.decode(b, 0, cut, out)).isFalse();
        }
        assertThat(AckCodec.decode(b, 0, len + 1, out)).isFalse();
    }

    @Property
    void junkNeverThrows(@ForAll @Size(max = 300) byte[] junk, @ForAll @IntRange(min = -2, max = 310) int off,
            @ForAll @IntRange(min = -2, max = 310) int len) {
        AckInfo out = new AckInfo();
        boolean ok = AckCodec.decode(junk, off, len, out);
        if (ok) {
            // Whatever decodes must be a consistent ACK: strictly descending counters below the highest.
            long prev = out.highestCounter;
            for (int i = 0; i < out.recentCount; i++) {
                assertThat(out.recent[i]).isLessThan(prev).isNotNegative();
                prev = out.recent[i];
            }
        }
        assertThat(PathController.ackedPathId(junk, off, len)).isBetween(-1, 255);
        assertThat(ProbeCodec.writeReply(junk, off, len, new byte[400], 0)).isBetween(-1, 310);
    }

    @Property
    void aFlippedFormatByteIsRejected(@ForAll("acks") AckInfo ack, @ForAll @IntRange(min = 2, max = 255) int format) {
        byte[] b = new byte[AckCodec.MAX_LENGTH];
        int len = AckCodec.encode(ack, b, 0);
        b[0] = (byte) format;
        assertThat(AckCodec.decode(b, 0, len, new AckInfo())).isFalse();
    }

    @Provide
    Arbitrary<AckInfo> acks() {
        Arbitrary<Long> highest = Arbitraries.longs().between(0, dev.multipath.frame.FrameHeader.MAX_COUNTER);
        Arbitrary<List<Long>> gaps = Arbitraries.longs().between(1, 1L << 20).list().ofMaxSize(AckInfo.MAX_RECENT);
        return Combinators.combine(Arbitraries.integers().between(0, 255), highest, Arbitraries.longs(),
                Arbitraries.longs(), Arbitraries.longs().between(0, 1L << 26), gaps).as((p, h, f, by, hold, g) -> {
                    AckInfo a = new AckInfo();
                    a.pathId = p;
                    a.highestCounter = h;
                    a.framesReceived = f;
                    a.bytesReceived = by;
                    a.holdMicros = hold;
                    long c = h;
                    int n = 0;
                    for (long gap : g) {
                        if (c - gap < 0) {
                            break;
                        }
                        c -= gap;
                        a.recent[n++] = c;
                    }
                    a.recentCount = n;
                    return a;
                });
    }
}
