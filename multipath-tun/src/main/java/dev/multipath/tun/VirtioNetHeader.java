package dev.multipath.tun;

import java.nio.ByteBuffer;

/**
 * The 10-byte {@code struct virtio_net_hdr} that precedes every packet on a TUN opened with IFF_VNET_HDR: how the
 * kernel hands us a TCP super-packet to segment (read) and how we hand it one to segment (write). Fields are in
 * the machine's byte order (little-endian on the platforms we support; TUNSETVNETBE is never set).
 */
final class VirtioNetHeader {
    static final int LENGTH = 10;

    /** flags: the transport checksum is partial; complete it over [csum_start, end) into csum_start + csum_offset. */
    static final int F_NEEDS_CSUM = 1;

    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    /** gso_type bit: the super-packet carries CWR (its first segment only keeps it). */
    static final int GSO_ECN = 0x80;

    private VirtioNetHeader() {
    }

    static int flags(ByteBuffer b, int off) {
        return b.get(off) & 0xff;
    }

    static int gsoType(ByteBuffer b, int off) {
        return b.get(off + 1) & 0xff;
    }

    static int gsoSize(ByteBuffer b, int off) {
        return Short.reverseBytes(b.getShort(off + 4)) & 0xffff;
    }

    static int csumStart(ByteBuffer b, int off) {
        return Short.reverseBytes(b.getShort(off + 6)) & 0xffff;
    }

    static int csumOffset(ByteBuffer b, int off) {
        return Short.reverseBytes(b.getShort(off + 8)) & 0xffff;
    }

    /** A header saying "a plain packet with a complete checksum". */
    static void writePlain(ByteBuffer b, int off) {
        b.putLong(off, 0L);
        b.putShort(off + 8, (short) 0);
    }

    /** A header for a TCP super-packet the kernel is to cut into {@code gsoSize}-byte segments. */
    static void writeTcpGso(ByteBuffer b, int off, boolean ipv6, int headerLength, int gsoSize, int l4Offset) {
        b.put(off, (byte) F_NEEDS_CSUM);
        b.put(off + 1, (byte) (ipv6 ? GSO_TCPV6 : GSO_TCPV4));
        b.putShort(off + 2, Short.reverseBytes((short) headerLength));
        b.putShort(off + 4, Short.reverseBytes((short) gsoSize));
        b.putShort(off + 6, Short.reverseBytes((short) l4Offset));
        b.putShort(off + 8, Short.reverseBytes((short) 16)); // the TCP checksum field
    }
}
