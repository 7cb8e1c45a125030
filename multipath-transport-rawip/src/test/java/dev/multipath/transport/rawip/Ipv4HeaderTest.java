package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Ipv4HeaderTest {

    /** A datagram as an IPv4 raw socket returns it: header (with {@code optionWords} words of options) + payload. */
    static ByteBuffer datagram(int protocol, int optionWords, byte[] payload) {
        int ihl = 20 + 4 * optionWords;
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.put(0, (byte) (0x40 | (ihl / 4)));
        b.putShort(2, (short) (ihl + payload.length));
        b.put(8, (byte) 64);
        b.put(9, (byte) protocol);
        for (int i = 20; i < ihl; i++) {
            b.put(i, (byte) 1); // NOP options
        }
        b.put(ihl, payload);
        return b;
    }

    @Test
    void plainHeaderIsStripped() {
        ByteBuffer b = datagram(253, 0, new byte[] {7, 8, 9});
        assertThat(Ipv4Header.payloadOffset(b, 23, 253)).isEqualTo(20);
        assertThat(Ipv4Header.totalLength(b)).isEqualTo(23);
    }

    @Test
    void optionsAreStrippedByIhl() {
        ByteBuffer b = datagram(253, 10, new byte[] {7});
        assertThat(Ipv4Header.payloadOffset(b, 61, 253)).isEqualTo(60);
    }

    @Test
    void trailingPaddingIsIgnored() {
        ByteBuffer b = datagram(253, 0, new byte[] {1, 2});
        assertThat(Ipv4Header.payloadOffset(b, 40, 253)).isEqualTo(20);
        assertThat(Ipv4Header.totalLength(b)).isEqualTo(22);
    }

    @Test
    void badDatagramsAreRejectedWithAReason() {
        ByteBuffer b = datagram(253, 0, new byte[] {1, 2, 3});
        assertThat(Ipv4Header.payloadOffset(b, 19, 253)).isEqualTo(Ipv4Header.TOO_SHORT);
        assertThat(Ipv4Header.payloadOffset(b, 22, 253)).as("cut").isEqualTo(Ipv4Header.BAD_TOTAL_LENGTH);
        assertThat(Ipv4Header.payloadOffset(b, 23, 254)).isEqualTo(Ipv4Header.WRONG_PROTOCOL);
        b.put(0, (byte) 0x65); // version 6
        assertThat(Ipv4Header.payloadOffset(b, 23, 253)).isEqualTo(Ipv4Header.NOT_IPV4);
        b.put(0, (byte) 0x44); // IHL 16 bytes
        assertThat(Ipv4Header.payloadOffset(b, 23, 253)).isEqualTo(Ipv4Header.BAD_IHL);
        b.put(0, (byte) 0x4f); // IHL 60 > 23 received
        assertThat(Ipv4Header.payloadOffset(b, 23, 253)).isEqualTo(Ipv4Header.BAD_IHL);
        b.put(0, (byte) 0x45).putShort(2, (short) 12); // total length shorter than the header
        assertThat(Ipv4Header.payloadOffset(b, 23, 253)).isEqualTo(Ipv4Header.BAD_TOTAL_LENGTH);
    }

    @Property
    void anyBytesGiveAReasonOrAPayloadInsideWhatWasReceived(@ForAll @Size(max = 100) byte[] junk,
            @ForAll @IntRange(min = -5, max = 120) int received) {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(0, junk);
        int r = Ipv4Header.payloadOffset(b, received, 253);
        if (r >= 0) {
            assertThat(r).isBetween(20, 60).isLessThanOrEqualTo(received);
            assertThat(Ipv4Header.totalLength(b)).isBetween(r, received);
            assertThat(received).isLessThanOrEqualTo(b.capacity());
        } else {
            assertThat(r).isBetween(-5, -1);
        }
    }
}
