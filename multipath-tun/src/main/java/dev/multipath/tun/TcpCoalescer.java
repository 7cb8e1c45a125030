package dev.multipath.tun;

import java.nio.ByteBuffer;

/**
 * Joins consecutive segments of one TCP flow into a super-packet for an offloading TUN to cut again: what a NIC's
 * GRO does, so that the kernel behind the TUN handles one large packet instead of dozens. The pending super-packet
 * is built in place in the device's write buffer, after the virtio header.
 *
 * <p>A segment joins only if nothing but its sequence number, IPv4 identification, lengths and checksums differ
 * from the pending one: same addresses, ports, ACK, window, options, TOS/TTL (so an ECN mark is never merged away);
 * it continues the sequence exactly (seq = pending seq + pending payload); the IPv4 identification is the next one;
 * the pending packet carries only ACK, the new one ACK or ACK+PSH (a PSH ends the super-packet, see {@link #ended});
 * every segment but the last has the first one's payload size; the result stays under 64 KiB. Anything else is
 * written on its own. The merged packet's TCP checksum is left partial (pseudo-header sum, VIRTIO_NET_HDR_F_NEEDS_CSUM)
 * for the kernel to complete per segment.
 */
final class TcpCoalescer {
    private static final int PROTO_TCP = 6;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    /** IPv4 total length and IPv6 payload length are 16 bits. */
    private static final int MAX_IP_LENGTH = 65535;

    private final ByteBuffer buf;
    private final int base;
    private final int maxLength;

    private boolean pending;
    private boolean ended;
    private boolean ipv6;
    private int l4Off;
    private int headerLength;
    private int mss;
    private int lastPayload;
    private int length;
    private int segments;
    private int nextSeq;
    private int nextId;

    /**
     * @param buf the write buffer (big-endian) the super-packet is built in
     * @param base where the IP packet starts in it (after the virtio header)
     */
    TcpCoalescer(ByteBuffer buf, int base) {
        this.buf = buf;
        this.base = base;
        this.maxLength = Math.min(MAX_IP_LENGTH, buf.capacity() - base);
    }

    boolean pending() {
        return pending;
    }

    /** Whether the pending packet ended with a PSH segment and should be written now. */
    boolean ended() {
        return ended;
    }

    /** Segments in the pending packet. */
    int segments() {
        return segments;
    }

    /** The pending packet's IP length. */
    int length() {
        return length;
    }

    /**
     * Takes {@code src[off, off + len)} as the start of a new pending packet if it is a TCP segment with payload
     * and only ACK (or ACK+PSH) set; the caller has written or dropped any previous pending packet.
     *
     * @return false if it cannot start one (write it on its own)
     */
    boolean start(ByteBuffer src, int off, int len) {
        pending = false;
        if (len < 40 || len > maxLength) {
            return false;
        }
        int version = (src.get(off) & 0xff) >>> 4;
        int l4;
        if (version == 4) {
            int ihl = (src.get(off) & 0x0f) * 4;
            int frag = src.getShort(off + 6) & 0x3fff; // MF and fragment offset
            if (ihl < 20 || frag != 0 || src.get(off + 9) != PROTO_TCP || (src.getShort(off + 2) & 0xffff) != len) {
                return false;
            }
            l4 = ihl;
        } else if (version == 6) {
            if (src.get(off + 6) != PROTO_TCP || (src.getShort(off + 4) & 0xffff) != len - 40) {
                return false;
            }
            l4 = 40;
        } else {
            return false;
        }
        if (l4 + 20 > len) {
            return false;
        }
        int thl = ((src.get(off + l4 + 12) & 0xff) >>> 4) * 4;
        int flags = src.get(off + l4 + 13) & 0xff;
        int payload = len - l4 - thl;
        if (thl < 20 || payload <= 0 || (flags != ACK && flags != (ACK | PSH))) {
            return false;
        }
        buf.put(base, src, off, len);
        pending = true;
        ended = flags != ACK;
        ipv6 = version == 6;
        l4Off = l4;
        headerLength = l4 + thl;
        mss = payload;
        lastPayload = payload;
        length = len;
        segments = 1;
        nextSeq = src.getInt(off + l4 + 4) + payload;
        nextId = ipv6 ? 0 : (src.getShort(off + 4) + 1) & 0xffff;
        return true;
    }

    /**
     * Appends {@code src[off, off + len)} to the pending packet if it continues it (see the class comment).
     *
     * @return false if it does not (the pending packet is unchanged)
     */
    boolean append(ByteBuffer src, int off, int len) {
        if (!pending || ended || lastPayload != mss) {
            return false;
        }
        int payload = len - headerLength;
        if (payload <= 0 || payload > mss || length + payload > maxLength) {
            return false;
        }
        if (((src.get(off) & 0xff) >>> 4) != (ipv6 ? 6 : 4)) {
            return false;
        }
        int tcp = off + l4Off;
        int flags = src.get(tcp + 13) & 0xff;
        if ((flags != ACK && flags != (ACK | PSH)) || src.getInt(tcp + 4) != nextSeq) {
            return false;
        }
        if (ipv6) {
            if ((src.getShort(off + 4) & 0xffff) != len - 40 || !same(src, off, 0, 4) || !same(src, off, 6, 40)) {
                return false;
            }
        } else {
            if ((src.getShort(off + 2) & 0xffff) != len || (src.getShort(off + 4) & 0xffff) != nextId
                    || !same(src, off, 0, 2) || !same(src, off, 6, 10) || !same(src, off, 12, l4Off)) {
                return false;
            }
        }
        // Ports, ACK, data offset, window, urgent pointer and options: everything but seq, flags and checksum.
        if (!same(src, off, l4Off, l4Off + 4) || !same(src, off, l4Off + 8, l4Off + 13)
                || !same(src, off, l4Off + 14, l4Off + 16) || !same(src, off, l4Off + 18, headerLength)) {
            return false;
        }
        buf.put(base + length, src, off + headerLength, payload);
        length += payload;
        lastPayload = payload;
        segments++;
        nextSeq += payload;
        nextId = (nextId + 1) & 0xffff;
        if (flags != ACK) {
            buf.put(base + l4Off + 13, (byte) flags);
            ended = true;
        }
        return true;
    }

    /** Whether {@code src[off + from, off + to)} equals the pending packet's bytes at the same offsets. */
    private boolean same(ByteBuffer src, int off, int from, int to) {
        int i = from;
        for (; i + 4 <= to; i += 4) {
            if (src.getInt(off + i) != buf.getInt(base + i)) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (src.get(off + i) != buf.get(base + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Finishes the pending packet for writing: one segment stays as it came (plain virtio header); several get
     * their IP length and IPv4 header checksum updated, a partial TCP checksum and a TCP GSO virtio header. The
     * packet is then no longer pending.
     *
     * @param headerOff where the virtio header goes in the buffer ({@code base - VirtioNetHeader.LENGTH})
     * @return the number of bytes to write, from {@code headerOff}
     */
    int finish(int headerOff) {
        pending = false;
        if (segments == 1) {
            VirtioNetHeader.writePlain(buf, headerOff);
            return base - headerOff + length;
        }
        if (ipv6) {
            buf.putShort(base + 4, (short) (length - 40));
        } else {
            buf.putShort(base + 2, (short) length);
            InternetChecksum.setIpv4HeaderChecksum(buf, base);
        }
        int l4Length = length - l4Off;
        buf.putShort(base + l4Off + 16,
                (short) InternetChecksum.fold(InternetChecksum.pseudoHeader(buf, base, ipv6, PROTO_TCP, l4Length)));
        VirtioNetHeader.writeTcpGso(buf, headerOff, ipv6, headerLength, mss, l4Off);
        return base - headerOff + length;
    }

    /** Forgets the pending packet. */
    void clear() {
        pending = false;
    }
}
