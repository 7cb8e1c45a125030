package dev.multipath.tun;

import java.nio.ByteBuffer;

/**
 * Cuts a TCP super-packet read from an offloading TUN (gso_type TCPV4/TCPV6) into the segments the kernel would
 * have sent, one per {@link #next} call: what a NIC's TSO does. Every segment carries the super-packet's IP and TCP
 * headers with its own lengths, IPv4 identification (+1 per segment), sequence number and complete checksums;
 * FIN and PSH stay on the last segment only, CWR on the first only.
 *
 * <p>The super-packet stays where it was read (the device's native buffer) until the last segment has been taken;
 * nothing is allocated. Buffers must be big-endian (the default).
 */
final class TcpSegmenter {
    private static final int PROTO_TCP = 6;
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;
    private static final int CWR = 0x80;

    private ByteBuffer src;
    private int base;
    private boolean ipv6;
    private int l4Off;
    private int headerLength;
    private int mss;
    private int payloadLength;
    private int done;
    private int index;
    private int seq0;
    private int id0;

    /**
     * Starts on the super-packet {@code src[off, off + len)}.
     *
     * @param gsoSize the segment payload size from the virtio header (the flow's MSS)
     * @param csumStart the virtio header's csum_start (where the TCP header begins), or 0 if unknown
     * @return false if this is not a TCP packet that can be cut (malformed lengths, not TCP, no segment size): the
     *     caller drops and counts it
     */
    boolean start(ByteBuffer src, int off, int len, int gsoSize, int csumStart) {
        this.src = null;
        if (len < 20 || gsoSize <= 0) {
            return false;
        }
        int version = (src.get(off) & 0xff) >>> 4;
        int l4;
        if (version == 4) {
            int ihl = (src.get(off) & 0x0f) * 4;
            if (ihl < 20 || src.get(off + 9) != PROTO_TCP) {
                return false;
            }
            l4 = ihl;
        } else if (version == 6) {
            // Extension headers between IPv6 and TCP: the kernel's csum_start says where TCP begins.
            l4 = csumStart >= 40 ? csumStart : 40;
            if (l4 == 40 && src.get(off + 6) != PROTO_TCP) {
                return false;
            }
        } else {
            return false;
        }
        if (l4 + 20 > len) {
            return false;
        }
        int thl = ((src.get(off + l4 + 12) & 0xff) >>> 4) * 4;
        if (thl < 20 || l4 + thl > len) {
            return false;
        }
        this.src = src;
        this.base = off;
        this.ipv6 = version == 6;
        this.l4Off = l4;
        this.headerLength = l4 + thl;
        this.mss = gsoSize;
        this.payloadLength = len - headerLength;
        this.done = 0;
        this.index = 0;
        this.seq0 = src.getInt(off + l4 + 4);
        this.id0 = ipv6 ? 0 : src.getShort(off + 4) & 0xffff;
        return true;
    }

    /** Whether a segment is still to be taken. */
    boolean hasNext() {
        return src != null && (done < payloadLength || (payloadLength == 0 && index == 0));
    }

    /** The length of the segment {@link #next} would write. */
    int nextLength() {
        return headerLength + Math.min(mss, payloadLength - done);
    }

    /** Drops what is left of the super-packet. */
    void clear() {
        src = null;
    }

    /**
     * Writes the next segment at {@code dst}'s position and advances the position past it.
     *
     * @return the segment's length, or -1 (and nothing written, the segment skipped) if {@code dst} has no room
     */
    int next(ByteBuffer dst) {
        int segPayload = Math.min(mss, payloadLength - done);
        int total = headerLength + segPayload;
        boolean last = done + segPayload >= payloadLength;
        int at = dst.position();
        if (dst.remaining() < total) {
            advance(segPayload, last);
            return -1;
        }
        dst.put(at, src, base, headerLength);
        dst.put(at + headerLength, src, base + headerLength + done, segPayload);
        if (ipv6) {
            dst.putShort(at + 4, (short) (total - 40));
        } else {
            dst.putShort(at + 2, (short) total);
            dst.putShort(at + 4, (short) (id0 + index));
            InternetChecksum.setIpv4HeaderChecksum(dst, at);
        }
        int tcp = at + l4Off;
        dst.putInt(tcp + 4, seq0 + done);
        int flags = dst.get(tcp + 13) & 0xff;
        if (!last) {
            flags &= ~(FIN | PSH);
        }
        if (index > 0) {
            flags &= ~CWR;
        }
        dst.put(tcp + 13, (byte) flags);
        dst.putShort(tcp + 16, (short) 0);
        int l4Length = total - l4Off;
        long sum = InternetChecksum.pseudoHeader(dst, at, ipv6, PROTO_TCP, l4Length)
                + InternetChecksum.sum(dst, tcp, l4Length);
        dst.putShort(tcp + 16, (short) InternetChecksum.finish(sum));
        dst.position(at + total);
        advance(segPayload, last);
        return total;
    }

    private void advance(int segPayload, boolean last) {
        done += segPayload;
        index++;
        if (last) {
            src = null;
        }
    }

    /**
     * Completes a partial transport checksum in place (a packet read with VIRTIO_NET_HDR_F_NEEDS_CSUM): the field
     * holds the pseudo-header sum; the sum over [csumStart, len) including it, complemented, is the checksum.
     *
     * @return false if the offsets lie outside the packet (the caller drops and counts it)
     */
    static boolean completeChecksum(ByteBuffer pkt, int off, int len, int csumStart, int csumOffset) {
        int field = csumStart + csumOffset;
        if (csumStart >= len || field + 2 > len) {
            return false;
        }
        int c = InternetChecksum.finish(InternetChecksum.sum(pkt, off + csumStart, len - csumStart));
        if (c == 0 && csumOffset == 6) {
            c = 0xffff; // UDP: 0 means "no checksum"
        }
        pkt.putShort(off + field, (short) c);
        return true;
    }
}
