package dev.multipath.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LengthPrefixDecoderTest {

    private static final int CAPACITY = 2 * (LengthPrefixDecoder.MAX_FRAME + LengthPrefixDecoder.PREFIX);

    @Property(tries = 300)
    void anySplitOfAStreamYieldsTheSameFrames(
            @ForAll("frames") List<byte[]> frames, @ForAll @IntRange(min = 1, max = 70_000) int maxChunk,
            @ForAll long seed) {
        byte[] stream = encode(frames);
        LengthPrefixDecoder decoder = new LengthPrefixDecoder(CAPACITY);
        List<byte[]> out = new ArrayList<>();
        java.util.Random rnd = new java.util.Random(seed);
        int pos = 0;
        while (pos < stream.length) {
            ByteBuffer space = decoder.readSpace();
            // A socket read returns at most the free space, and any count from 1 up to that.
            int n = Math.min(Math.min(space.remaining(), stream.length - pos), 1 + rnd.nextInt(maxChunk));
            space.put(stream, pos, n);
            pos += n;
            assertThat(decoder.drain(f -> {
                byte[] b = new byte[f.remaining()];
                f.get(b);
                out.add(b);
            })).isTrue();
        }
        assertThat(out).containsExactlyElementsOf(frames);
        assertThat(decoder.pending()).isZero();
    }

    @Provide
    Arbitrary<List<byte[]>> frames() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1, 2000),
                Arbitraries.of(1, 2, 65534, 65535));
        return sizes.flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n)).list().ofMaxSize(12);
    }

    @Test
    void zeroLengthIsRejected() {
        LengthPrefixDecoder decoder = new LengthPrefixDecoder(CAPACITY);
        decoder.readSpace().put(new byte[] {0, 1, 42, 0, 0, 7});
        List<Integer> sizes = new ArrayList<>();
        assertThat(decoder.drain(f -> sizes.add(f.remaining()))).isFalse();
        assertThat(sizes).containsExactly(1);
    }

    @Test
    void partialPrefixWaitsForMoreBytes() {
        LengthPrefixDecoder decoder = new LengthPrefixDecoder(CAPACITY);
        List<Integer> sizes = new ArrayList<>();
        decoder.readSpace().put((byte) 0x01);
        assertThat(decoder.drain(f -> sizes.add(f.remaining()))).isTrue();
        assertThat(sizes).isEmpty();
        decoder.readSpace().put((byte) 0x00);
        decoder.readSpace().put(new byte[256]);
        assertThat(decoder.drain(f -> sizes.add(f.remaining()))).isTrue();
        assertThat(sizes).containsExactly(256);
    }

    @Property(tries = 50)
    void frameViewExposesOnlyTheFrame(@ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 3000) Integer> lens) {
        List<byte[]> frames = new ArrayList<>();
        for (int len : lens) {
            byte[] b = new byte[len];
            java.util.Arrays.fill(b, (byte) len);
            frames.add(b);
        }
        LengthPrefixDecoder decoder = new LengthPrefixDecoder(CAPACITY);
        decoder.readSpace().put(encode(frames));
        List<Integer> seen = new ArrayList<>();
        decoder.drain(f -> seen.add(f.remaining()));
        assertThat(seen).containsExactlyElementsOf(lens);
    }

    static byte[] encode(List<byte[]> frames) {
        int total = 0;
        for (byte[] f : frames) {
            total += 2 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] f : frames) {
            b.putShort((short) f.length).put(f);
        }
        return b.array();
    }
}
