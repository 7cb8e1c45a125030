package dev.multipath.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The TSO/GRO emulation of an offloading TUN: checksums against a naive reference, segments cut from a
 * super-packet (valid, contiguous, the payload intact, flags where the kernel puts them), and joining them again
 * gives back the super-packet, which cuts into the same segments byte for byte.
 */
class TcpOffloadProperties {
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int FIN = 0x01;
    private static final int CWR = 0x80;
    /** The device's write buffer: a virtio header, then up to 64 KiB of packet. */
    private static final int WRITE_BUFFER = 65536 + VirtioNetHeader.LENGTH;

    @Property
    void checksumSumEqualsTheNaiveOne(@ForAll("seeds") long seed, @ForAll @IntRange(max = 3000) int len,
            @ForAll @IntRange(max = 9) int off) {
        byte[] data = new byte[off + len + 3];
        new Random(seed).nextBytes(data);
        ByteBuffer b = ByteBuffer.wrap(data);
        assertThat(InternetChecksum.fold(InternetChecksum.sum(b, off, len))).isEqualTo(naiveFold(data, off, len));
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data);
        assertThat(InternetChecksum.fold(InternetChecksum.sum(direct, off, len)))
                .isEqualTo(naiveFold(data, off, len));
    }

    @Property
    void segmentsAreValidContiguousAndCarryThePayload(@ForAll boolean v6, @ForAll @IntRange(min = 536, max = 1460) int mss,
            @ForAll @IntRange(min = 1, max = 60000) int payloadLength, @ForAll @IntRange(max = 10) int optionWords,
            @ForAll boolean psh, @ForAll boolean fin, @ForAll boolean cwr, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        byte[] payload = bytes(rnd, payloadLength);
        int flags = ACK | (psh ? PSH : 0) | (fin ? FIN : 0) | (cwr ? CWR : 0);
        int id = rnd.nextInt(65536);
        int seq = rnd.nextInt();
        ByteBuffer sup = Packets.tcp(v6, id, seq, flags, bytes(rnd, optionWords * 4), payload, 0);
        List<ByteBuffer> segments = cut(sup, mss, v6);

        assertThat(segments).hasSize((payloadLength + mss - 1) / mss);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        int expectedSeq = seq;
        for (int i = 0; i < segments.size(); i++) {
            ByteBuffer s = segments.get(i);
            boolean last = i == segments.size() - 1;
            int hdr = Packets.headerLength(s);
            int segPayload = s.limit() - hdr;
            assertThat(segPayload).isEqualTo(last ? payloadLength - i * mss : mss);
            assertThat(Packets.validChecksums(s)).as("segment %d checksums", i).isTrue();
            assertThat(Packets.ipLength(s)).isEqualTo(s.limit());
            if (!v6) {
                assertThat(s.getShort(4) & 0xffff).isEqualTo((id + i) & 0xffff);
            }
            int tcp = Packets.l4(s);
            assertThat(s.getInt(tcp + 4)).isEqualTo(expectedSeq);
            int f = s.get(tcp + 13) & 0xff;
            assertThat(f & (FIN | PSH)).isEqualTo(last ? flags & (FIN | PSH) : 0);
            assertThat(f & CWR).isEqualTo(i == 0 ? flags & CWR : 0);
            joined.write(s.array(), hdr, segPayload);
            expectedSeq += segPayload;
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }

    @Property
    void joiningTheSegmentsGivesBackTheSuperPacketAndItsSegments(@ForAll boolean v6,
            @ForAll @IntRange(min = 536, max = 1460) int mss, @ForAll @IntRange(min = 1, max = 60000) int payloadLength,
            @ForAll @IntRange(max = 10) int optionWords, @ForAll boolean psh, @ForAll("seeds") long seed) {
        Random rnd = new Random(seed);
        int flags = ACK | (psh ? PSH : 0);
        ByteBuffer sup = Packets.tcp(v6, rnd.nextInt(65536), rnd.nextInt(), flags, bytes(rnd, optionWords * 4),
                bytes(rnd, payloadLength), rnd.nextInt(4) << 2);
        List<ByteBuffer> segments = cut(sup, mss, v6);

        ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER);
        TcpCoalescer c = new TcpCoalescer(out, VirtioNetHeader.LENGTH);
        assertThat(c.start(segments.get(0), 0, segments.get(0).limit())).isTrue();
        for (int i = 1; i < segments.size(); i++) {
            assertThat(c.append(segments.get(i), 0, segments.get(i).limit())).as("segment %d joins", i).isTrue();
        }
        assertThat(c.segments()).isEqualTo(segments.size());
        assertThat(c.ended()).isEqualTo(psh);
        int n = c.finish(0);
        assertThat(n).isEqualTo(VirtioNetHeader.LENGTH + sup.limit());
        ByteBuffer joined = ByteBuffer.wrap(Arrays.copyOfRange(out.array(), VirtioNetHeader.LENGTH, n));
        int l4 = Packets.l4(sup);
        if (segments.size() == 1) {
            assertThat(VirtioNetHeader.gsoType(out, 0)).isEqualTo(VirtioNetHeader.GSO_NONE);
            assertThat(joined).isEqualTo(segments.get(0));
            return;
        }
        assertThat(VirtioNetHeader.gsoType(out, 0)).isEqualTo(v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4);
        assertThat(VirtioNetHeader.gsoSize(out, 0)).isEqualTo(mss);
        assertThat(VirtioNetHeader.csumStart(out, 0)).isEqualTo(l4);
        assertThat(VirtioNetHeader.csumOffset(out, 0)).isEqualTo(16);
        assertThat(VirtioNetHeader.flags(out, 0)).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
        // Equal to the super-packet but for the TCP checksum, which is the partial (pseudo-header) one...
        byte[] expected = sup.array().clone();
        byte[] actual = joined.array().clone();
        expected[l4 + 16] = expected[l4 + 17] = actual[l4 + 16] = actual[l4 + 17] = 0;
        assertThat(actual).isEqualTo(expected);
        // ...which completes to a valid checksum (what the kernel does per segment).
        ByteBuffer completed = ByteBuffer.wrap(joined.array().clone());
        assertThat(TcpSegmenter.completeChecksum(completed, 0, completed.limit(), l4, 16)).isTrue();
        assertThat(Packets.validChecksums(completed)).isTrue();
        // The kernel's cut of the joined packet: the very segments we joined.
        List<ByteBuffer> again = cut(joined, mss, v6);
        assertThat(again).isEqualTo(segments);
    }

    @Example
    void segmentsThatDoNotContinueThePendingPacketAreNotJoined() {
        Random rnd = new Random(7);
        byte[] opts = bytes(rnd, 12);
        ByteBuffer first = Packets.tcp(false, 100, 1000, ACK, opts, bytes(rnd, 1000), 0);
        ByteBuffer next = Packets.tcp(false, 101, 2000, ACK, opts, bytes(rnd, 1000), 0);
        assertThat(joins(first, next)).as("the next segment").isTrue();
        assertThat(joins(first, Packets.tcp(false, 101, 2001, ACK, opts, bytes(rnd, 1000), 0))).as("gap").isFalse();
        assertThat(joins(first, Packets.tcp(false, 102, 2000, ACK, opts, bytes(rnd, 1000), 0))).as("id").isFalse();
        assertThat(joins(first, Packets.tcp(false, 101, 2000, ACK, opts, bytes(rnd, 1000), 3))).as("ECN CE").isFalse();
        assertThat(joins(first, Packets.tcp(false, 101, 2000, ACK | FIN, opts, bytes(rnd, 1000), 0))).as("FIN")
                .isFalse();
        assertThat(joins(first, Packets.tcp(false, 101, 2000, ACK, bytes(rnd, 12), bytes(rnd, 1000), 0)))
                .as("other options").isFalse();
        assertThat(joins(first, Packets.tcp(false, 101, 2000, ACK, opts, bytes(rnd, 1001), 0))).as("larger")
                .isFalse();
        assertThat(joins(first, Packets.tcp(true, 101, 2000, ACK, opts, bytes(rnd, 1000), 0))).as("IPv6")
                .isFalse();
        ByteBuffer otherPort = Packets.tcp(false, 101, 2000, ACK, opts, bytes(rnd, 1000), 0);
        otherPort.putShort(20, (short) 40001);
        assertThat(joins(first, otherPort)).as("another flow").isFalse();
        ByteBuffer otherAck = Packets.tcp(false, 101, 2000, ACK, opts, bytes(rnd, 1000), 0);
        otherAck.putInt(28, 999);
        assertThat(joins(first, otherAck)).as("another ACK").isFalse();

        ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER);
        TcpCoalescer c = new TcpCoalescer(out, VirtioNetHeader.LENGTH);
        assertThat(c.start(Packets.tcp(false, 1, 1, ACK | FIN, opts, bytes(rnd, 10), 0), 0, 10 + 20 + 32))
                .as("a FIN never starts one").isFalse();
        assertThat(c.start(Packets.tcp(false, 1, 1, ACK, opts, new byte[0], 0), 0, 52)).as("a pure ACK").isFalse();
        // A shorter segment ends the run: nothing may follow it.
        ByteBuffer a = Packets.tcp(false, 1, 0, ACK, opts, bytes(rnd, 1000), 0);
        assertThat(c.start(a, 0, a.limit())).isTrue();
        ByteBuffer shortOne = Packets.tcp(false, 2, 1000, ACK, opts, bytes(rnd, 500), 0);
        assertThat(c.append(shortOne, 0, shortOne.limit())).isTrue();
        ByteBuffer after = Packets.tcp(false, 3, 1500, ACK, opts, bytes(rnd, 500), 0);
        assertThat(c.append(after, 0, after.limit())).isFalse();
    }

    @Example
    void theJoinedPacketStaysUnder64KiB() {
        Random rnd = new Random(3);
        ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER);
        TcpCoalescer c = new TcpCoalescer(out, VirtioNetHeader.LENGTH);
        int seq = 0;
        int joined = 0;
        ByteBuffer s = Packets.tcp(false, 0, seq, ACK, new byte[0], bytes(rnd, 1460), 0);
        assertThat(c.start(s, 0, s.limit())).isTrue();
        for (int i = 1; i < 100; i++) {
            seq += 1460;
            s = Packets.tcp(false, i, seq, ACK, new byte[0], bytes(rnd, 1460), 0);
            if (!c.append(s, 0, s.limit())) {
                break;
            }
            joined = i;
        }
        assertThat(c.length()).isLessThanOrEqualTo(65535);
        assertThat(joined + 1).isEqualTo((65535 - 40) / 1460);
    }

    @Example
    void partialChecksumsAreCompleted() {
        Random rnd = new Random(11);
        for (boolean v6 : new boolean[] {false, true}) {
            ByteBuffer tcp = Packets.tcp(v6, 5, 77, ACK | PSH, bytes(rnd, 8), bytes(rnd, 333), 0);
            int l4 = Packets.l4(tcp);
            int l4Length = tcp.limit() - l4;
            tcp.putShort(l4 + 16, (short) InternetChecksum.fold(
                    InternetChecksum.pseudoHeader(tcp, 0, v6, 6, l4Length)));
            assertThat(TcpSegmenter.completeChecksum(tcp, 0, tcp.limit(), l4, 16)).isTrue();
            assertThat(Packets.validChecksums(tcp)).isTrue();
        }
        ByteBuffer pkt = ByteBuffer.allocate(60);
        assertThat(TcpSegmenter.completeChecksum(pkt, 0, 60, 50, 16)).as("field outside the packet").isFalse();
    }

    @Example
    void malformedSuperPacketsAreRefused() {
        TcpSegmenter s = new TcpSegmenter();
        ByteBuffer udp = Packets.tcp(false, 1, 1, ACK, new byte[0], new byte[3000], 0);
        udp.put(9, (byte) 17);
        assertThat(s.start(udp, 0, udp.limit(), 1400, 20)).as("not TCP").isFalse();
        ByteBuffer tcp = Packets.tcp(false, 1, 1, ACK, new byte[0], new byte[3000], 0);
        assertThat(s.start(tcp, 0, tcp.limit(), 0, 20)).as("no segment size").isFalse();
        assertThat(s.start(tcp, 0, 30, 1400, 20)).as("cut short").isFalse();
        tcp.put(32, (byte) 0x10); // data offset 4 words: less than a TCP header
        assertThat(s.start(tcp, 0, tcp.limit(), 1400, 20)).as("bad data offset").isFalse();
        assertThat(s.hasNext()).isFalse();
    }

    private static boolean joins(ByteBuffer first, ByteBuffer next) {
        TcpCoalescer c = new TcpCoalescer(ByteBuffer.allocate(WRITE_BUFFER), VirtioNetHeader.LENGTH);
        assertThat(c.start(first, 0, first.limit())).isTrue();
        return c.append(next, 0, next.limit());
    }

    private static List<ByteBuffer> cut(ByteBuffer sup, int mss, boolean v6) {
        TcpSegmenter seg = new TcpSegmenter();
        assertThat(seg.start(sup, 0, sup.limit(), mss, Packets.l4(sup))).isTrue();
        List<ByteBuffer> out = new ArrayList<>();
        while (seg.hasNext()) {
            ByteBuffer dst = ByteBuffer.allocate(2000);
            int n = seg.next(dst);
            assertThat(n).isPositive();
            assertThat(dst.position()).isEqualTo(n);
            out.add(ByteBuffer.wrap(Arrays.copyOf(dst.array(), n)));
        }
        return out;
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static int naiveFold(byte[] d, int off, int len) {
        return Packets.fold(Packets.naiveSum(d, off, len));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }
}
