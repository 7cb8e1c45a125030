package dev.multipath.transport.rawip;

import java.nio.ByteBuffer;

/**
 * Finds the payload of a received IPv4 datagram. An IPv4 raw socket delivers the whole datagram, header included
 * (an IPv6 one delivers only the payload). Pure and allocation-free; any byte sequence is safe input.
 */
final class Ipv4Header {

    static final int MIN_HEADER = 20;

    /** {@link #payloadOffset} results below zero: why the datagram was dropped. */
    static final int TOO_SHORT = -1;
    static final int NOT_IPV4 = -2;
    static final int BAD_IHL = -3;
    static final int WRONG_PROTOCOL = -4;
    static final int BAD_TOTAL_LENGTH = -5;

    private Ipv4Header() {
    }

    /**
     * Checks the header of the {@code received} bytes at the start of {@code buf} (absolute indices, position
     * ignored) and returns where the payload starts; the payload ends at {@link #totalLength}.
     *
     * @return the header length (20..60), or a negative reason code
     */
    static int payloadOffset(ByteBuffer buf, int received, int protocol) {
        if (received < MIN_HEADER || received > buf.capacity()) {
            return TOO_SHORT;
        }
        int b0 = buf.get(0) & 0xff;
        if ((b0 >> 4) != 4) {
            return NOT_IPV4;
        }
        int ihl = (b0 & 0x0f) * 4;
        if (ihl < MIN_HEADER || ihl > received) {
            return BAD_IHL;
        }
        if ((buf.get(9) & 0xff) != protocol) {
            return WRONG_PROTOCOL;
        }
        int total = totalLength(buf);
        // Less than received: trailing bytes (padding) are ignored. More: the datagram was cut, drop it.
        if (total < ihl || total > received) {
            return BAD_TOTAL_LENGTH;
        }
        return ihl;
    }

    /** The header's total-length field. */
    static int totalLength(ByteBuffer buf) {
        return buf.getShort(2) & 0xffff;
    }
}
