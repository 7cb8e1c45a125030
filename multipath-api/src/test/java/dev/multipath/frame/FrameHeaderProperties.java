package dev.multipath.frame;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class FrameHeaderProperties {

    @Provide
    Arbitrary<FrameType> types() {
        return Arbitraries.of(FrameType.class);
    }

    @Property
    void everyFieldRoundTrips(@ForAll("types") FrameType type, @ForAll @IntRange(max = 1) int keyPhase,
            @ForAll @IntRange(max = 255) int pathId, @ForAll @IntRange(max = 65535) int receiver,
            @ForAll @LongRange(max = FrameHeader.MAX_COUNTER) long counter,
            @ForAll @IntRange(max = 65535) int timestamp, @ForAll @IntRange(max = 7) int offset) {
        byte[] b = new byte[FrameHeader.LENGTH + 8];
        FrameHeader.write(b, offset, type, keyPhase, pathId, receiver, counter, timestamp);
        assertThat(FrameHeader.validate(b, offset, FrameHeader.LENGTH)).isEqualTo(type);
        assertThat(FrameHeader.version(b, offset)).isEqualTo(FrameHeader.VERSION);
        assertThat(FrameHeader.keyPhase(b, offset)).isEqualTo(keyPhase);
        assertThat(FrameHeader.pathId(b, offset)).isEqualTo(pathId);
        assertThat(FrameHeader.receiverIndex(b, offset)).isEqualTo(receiver);
        assertThat(FrameHeader.counter(b, offset)).isEqualTo(counter);
        assertThat(FrameHeader.timestamp(b, offset)).isEqualTo(timestamp);
    }

    @Property
    void settersChangeOnlyTheirField(@ForAll byte[] junk, @ForAll @LongRange(max = FrameHeader.MAX_COUNTER) long c,
            @ForAll @IntRange(max = 65535) int receiver) {
        byte[] b = new byte[FrameHeader.LENGTH];
        System.arraycopy(junk, 0, b, 0, Math.min(junk.length, b.length));
        int type = FrameHeader.typeCode(b, 0);
        int path = FrameHeader.pathId(b, 0);
        int ts = FrameHeader.timestamp(b, 0);
        FrameHeader.setCounter(b, 0, c);
        FrameHeader.setReceiverIndex(b, 0, receiver);
        FrameHeader.setKeyPhase(b, 0, 1);
        assertThat(FrameHeader.counter(b, 0)).isEqualTo(c);
        assertThat(FrameHeader.receiverIndex(b, 0)).isEqualTo(receiver);
        assertThat(FrameHeader.typeCode(b, 0)).isEqualTo(type);
        assertThat(FrameHeader.pathId(b, 0)).isEqualTo(path);
        assertThat(FrameHeader.timestamp(b, 0)).isEqualTo(ts);
    }

    @Property
    void validateNeverThrowsAndRejectsShortOrForeignFrames(@ForAll byte[] junk) {
        FrameType t = FrameHeader.validate(junk, 0, junk.length);
        if (junk.length < FrameHeader.LENGTH || ((junk[0] >> 6) & 3) != FrameHeader.VERSION) {
            assertThat(t).isNull();
        }
    }

    @Property
    void innerPacketCheckNeverThrows(@ForAll byte[] junk) {
        boolean ok = InnerPacket.isWellFormed(junk, 0, junk.length);
        if (ok) {
            int v = (junk[0] >> 4) & 0xf;
            assertThat(v == 4 || v == 6).isTrue();
        }
    }
}
