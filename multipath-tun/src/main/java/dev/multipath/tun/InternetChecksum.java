package dev.multipath.tun;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) over buffer ranges and the TCP/UDP pseudo-headers, for the offload paths that
 * split and join TCP segments ({@link TcpSegmenter}, {@link TcpCoalescer}).
 *
 * <p>Sums are kept unfolded in a {@code long} (32-bit big-endian words added up; the one's complement sum is the
 * same whatever the word size, as long as the carries are folded in at the end), so a 64 KiB range cannot overflow.
 * Absolute {@code getLong}/{@code getInt} reads on a heap or direct buffer: no allocation, no position changes.
 */
final class InternetChecksum {
    private InternetChecksum() {
    }

    /** The unfolded sum of {@code buf[off, off + len)} as big-endian 16-bit words (an odd last byte is padded). */
    static long sum(ByteBuffer buf, int off, int len) {
        long acc = 0;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long w = buf.getLong(i);
            acc += (w >>> 32) + (w & 0xffffffffL);
        }
        if (i + 4 <= end) {
            acc += buf.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (i + 2 <= end) {
            acc += buf.getShort(i) & 0xffff;
            i += 2;
        }
        if (i < end) {
            acc += (buf.get(i) & 0xff) << 8;
        }
        return acc;
    }

    /** Folds a sum to 16 bits (one's complement addition of the carries). */
    static int fold(long acc) {
        while ((acc >>> 16) != 0) {
            acc = (acc & 0xffff) + (acc >>> 16);
        }
        return (int) acc;
    }

    /** The checksum field's value for a sum that covers the field as zero: the complement of the folded sum. */
    static int finish(long acc) {
        return ~fold(acc) & 0xffff;
    }

    /**
     * The pseudo-header sum of an IPv4 or IPv6 packet starting at {@code ipOff}: source and destination addresses,
     * the protocol and the transport length {@code l4Length}.
     */
    static long pseudoHeader(ByteBuffer buf, int ipOff, boolean ipv6, int protocol, int l4Length) {
        long acc = ipv6 ? sum(buf, ipOff + 8, 32) : sum(buf, ipOff + 12, 8);
        return acc + protocol + l4Length;
    }

    /** Recomputes an IPv4 header's checksum in place (header length from its IHL field). */
    static void setIpv4HeaderChecksum(ByteBuffer buf, int ipOff) {
        int ihl = (buf.get(ipOff) & 0x0f) * 4;
        buf.putShort(ipOff + 10, (short) 0);
        buf.putShort(ipOff + 10, (short) finish(sum(buf, ipOff, ihl)));
    }
}
