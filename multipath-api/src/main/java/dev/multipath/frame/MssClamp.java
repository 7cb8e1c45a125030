package dev.multipath.frame;

/**
 * Lowers the maximum segment size that TCP connections announce in their SYN and SYN-ACK segments, so that their
 * segments fit the tunnel (OpenVPN's {@code mssfix}, iptables' {@code TCPMSS --clamp-mss-to-pmtu}).
 *
 * <p>Why: the hosts behind a portal reach it over an ordinary 1500-byte link, while the tunnel carries at most its
 * TUN MTU (the smallest path MTU less the frame overhead). Without clamping, every new connection's first full-size
 * segments are refused at the TUN with an ICMP "fragmentation needed", and the sender resends its whole first window
 * at the smaller size a round trip later. Measured in the lab (three-unequal, the first outbound flow after the
 * portals start, {@code ss -ti} of the client): 10 of the first 14 segments retransmitted, MSS 1448 to 1396. With
 * the SYN's MSS clamped the first window fits and nothing is resent; goodput did not change measurably in an A/B
 * (decision 38: the slow first flow there has another cause).
 *
 * <p>Only the MSS option of a segment with SYN set is touched; the TCP checksum is updated incrementally (RFC 1624).
 * Anything that is not a well-formed TCP SYN (fragments, IPv6 extension headers, malformed options) is left as it
 * is. No allocation; a few byte reads for a packet that is not a SYN.
 */
public final class MssClamp {

    private static final int PROTO_TCP = 6;
    private static final int SYN = 0x02;
    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_MSS = 2;

    private MssClamp() {
    }

    /** The largest MSS a connection over IPv4 ({@code ipv6} false) or IPv6 can use inside a {@code mtu}-byte packet. */
    public static int maxMss(int mtu, boolean ipv6) {
        return mtu - (ipv6 ? 60 : 40);
    }

    /**
     * If {@code b[off, off + len)} is a TCP segment with SYN set whose MSS option exceeds what fits in {@code mtu}
     * bytes, lowers it to that and fixes the checksum.
     *
     * @return true if the packet was changed
     */
    public static boolean clamp(byte[] b, int off, int len, int mtu) {
        if (len < 20) {
            return false;
        }
        int version = (b[off] >> 4) & 0xf;
        int tcp;
        boolean ipv6;
        if (version == 4) {
            int fragmentOffset = ((b[off + 6] & 0x1f) << 8) | (b[off + 7] & 0xff);
            if ((b[off + 9] & 0xff) != PROTO_TCP || fragmentOffset != 0) {
                return false;
            }
            tcp = off + (b[off] & 0xf) * 4;
            ipv6 = false;
        } else if (version == 6) {
            // A TCP header right after the fixed header; a SYN behind extension headers is left alone (rare).
            if (len < 40 || (b[off + 6] & 0xff) != PROTO_TCP) {
                return false;
            }
            tcp = off + 40;
            ipv6 = true;
        } else {
            return false;
        }
        int end = off + len;
        if (tcp < off + 20 || tcp + 20 > end || (b[tcp + 13] & SYN) == 0) {
            return false;
        }
        int optionsEnd = tcp + ((b[tcp + 12] >> 4) & 0xf) * 4;
        if (optionsEnd > end) {
            return false;
        }
        int limit = maxMss(mtu, ipv6);
        int i = tcp + 20;
        while (i < optionsEnd) {
            int kind = b[i] & 0xff;
            if (kind == OPTION_END) {
                return false;
            }
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= optionsEnd) {
                return false;
            }
            int optionLength = b[i + 1] & 0xff;
            if (optionLength < 2 || i + optionLength > optionsEnd) {
                return false;
            }
            if (kind == OPTION_MSS && optionLength == 4) {
                int mss = ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
                if (mss <= limit || limit <= 0) {
                    return false;
                }
                rewrite(b, tcp, i + 2, limit);
                return true;
            }
            i += optionLength;
        }
        return false;
    }

    /**
     * Writes {@code value} as 16 bits at {@code at} and updates the TCP checksum at {@code tcp + 16} for the change.
     * The checksum sums 16-bit words counted from the TCP header; an option may start at an odd offset, so the
     * update covers the one or two whole words the value touches.
     */
    private static void rewrite(byte[] b, int tcp, int at, int value) {
        int first = tcp + ((at - tcp) & ~1);
        int words = ((at - tcp) & 1) == 0 ? 1 : 2;
        int oldSum = 0;
        for (int w = 0; w < words; w++) {
            oldSum += OnesComplement.word(b, first + 2 * w);
        }
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
        int newSum = 0;
        for (int w = 0; w < words; w++) {
            newSum += OnesComplement.word(b, first + 2 * w);
        }
        int result = OnesComplement.update(OnesComplement.word(b, tcp + 16), oldSum, newSum);
        b[tcp + 16] = (byte) (result >>> 8);
        b[tcp + 17] = (byte) result;
    }
}
