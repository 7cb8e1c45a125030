package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Where the frame lies in what a raw socket returned, per family: an IPv4 socket returns the IP header too, an IPv6
 * socket only the payload (the kernel strips the fixed header and the extension headers), so nothing of an IPv6
 * datagram may be taken for a header.
 */
class FrameBoundsTest {

    private static int start(long bounds) {
        return (int) (bounds >>> 32);
    }

    private static int end(long bounds) {
        return (int) bounds;
    }

    @Test
    void anIpv6DatagramIsAllFrameEvenWhenItLooksLikeAnIpv4Header() {
        // A frame whose first bytes read as an IPv4 header of protocol 253 (IHL 24, total length 27).
        ByteBuffer b = Ipv4HeaderTest.datagram(253, 1, new byte[] {7, 8, 9});
        long v6 = RawIpTransport.frameBounds(true, b, 100, 253);
        assertThat(start(v6)).isZero();
        assertThat(end(v6)).isEqualTo(100);
        long v4 = RawIpTransport.frameBounds(false, b, 100, 253);
        assertThat(start(v4)).as("an IPv4 socket's datagram: header and options stripped").isEqualTo(24);
        assertThat(end(v4)).as("up to the total length, padding ignored").isEqualTo(27);
    }

    @Test
    void anIpv6DatagramStartingLikeAnIpv6HeaderOrOfAnyProtocolByteIsNotParsed() {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.put(0, (byte) 0x60).put(6, (byte) 17); // version 6, next header UDP: bytes of the frame, nothing else
        assertThat(RawIpTransport.frameBounds(true, b, 40, 253)).isEqualTo(40L);
        assertThat(RawIpTransport.frameBounds(false, b, 40, 253)).isEqualTo(Ipv4Header.NOT_IPV4);
    }

    @Test
    void emptyAndLargestIpv6Datagrams() {
        ByteBuffer b = ByteBuffer.allocate(RawSocket.RECEIVE_BUFFER_BYTES);
        assertThat(RawIpTransport.frameBounds(true, b, 0, 253)).as("empty: counted as dropped by the caller")
                .isZero();
        assertThat(RawIpTransport.frameBounds(true, b, 65535, 253)).isEqualTo(65535L);
        // IPv4: an empty payload is a 20-byte header of total length 20.
        ByteBuffer header = Ipv4HeaderTest.datagram(253, 0, new byte[0]);
        long v4 = RawIpTransport.frameBounds(false, header, 20, 253);
        assertThat(start(v4)).isEqualTo(20);
        assertThat(end(v4)).isEqualTo(20);
    }

    @Test
    void ipv4ReasonsComeThroughNegative() {
        ByteBuffer b = Ipv4HeaderTest.datagram(253, 0, new byte[] {1, 2, 3});
        assertThat(RawIpTransport.frameBounds(false, b, 23, 254)).isEqualTo(Ipv4Header.WRONG_PROTOCOL);
        assertThat(RawIpTransport.frameBounds(false, b, 19, 253)).isEqualTo(Ipv4Header.TOO_SHORT);
        assertThat(RawIpTransport.frameBounds(false, b, 22, 253)).isEqualTo(Ipv4Header.BAD_TOTAL_LENGTH);
    }

    @Property
    void anyIpv6DatagramIsWhollyTheFrame(@ForAll @Size(max = 64) byte[] bytes,
            @ForAll @IntRange(min = 0, max = 65536) int n) {
        ByteBuffer b = ByteBuffer.allocate(65536);
        b.put(0, bytes);
        long bounds = RawIpTransport.frameBounds(true, b, n, 253);
        assertThat(start(bounds)).isZero();
        assertThat(end(bounds)).isEqualTo(n);
    }

    @Property
    void anyIpv4DatagramGivesAReasonOrAFrameInsideWhatWasReceived(@ForAll @Size(max = 100) byte[] bytes,
            @ForAll @IntRange(min = 0, max = 100) int n) {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.put(0, bytes);
        long bounds = RawIpTransport.frameBounds(false, b, n, 253);
        if (bounds >= 0) {
            assertThat(start(bounds)).isBetween(20, 60);
            assertThat(end(bounds)).isBetween(start(bounds), n);
        } else {
            assertThat(bounds).isBetween(-5L, -1L);
        }
    }
}
