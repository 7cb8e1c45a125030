package dev.multipath.frame;

/**
 * Marks an IP packet "Congestion Experienced" (RFC 3168) in place, the alternative to dropping it when the portal's
 * queue signals congestion.
 *
 * <p>Why: when CoDel decides a packet is to go, a sender that negotiated ECN gets the same signal from a CE mark
 * without losing the packet, so it neither retransmits it nor waits for the reorder buffer to give up on the gap. A
 * sender that reacts little to loss (BBR v1) otherwise pays for every drop with a retransmission (decision 35).
 *
 * <p>Only the ECN field (the low two bits of IPv4's TOS byte, of IPv6's traffic class) changes; the IPv4 header
 * checksum is updated incrementally (RFC 1624). No allocation.
 */
public final class EcnMark {

    /** The ECN field's code points (RFC 3168, section 5). */
    public static final int NOT_ECT = 0;
    public static final int ECT_1 = 1;
    public static final int ECT_0 = 2;
    public static final int CE = 3;

    private EcnMark() {
    }

    /**
     * The ECN field of the IP packet at {@code b[off, off + len)}.
     *
     * @return one of {@link #NOT_ECT}, {@link #ECT_1}, {@link #ECT_0}, {@link #CE}; -1 if it is no well-formed IPv4
     *         or IPv6 header
     */
    public static int field(byte[] b, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int version = (b[off] >> 4) & 0xf;
        if (version == 4) {
            int headerLength = (b[off] & 0xf) * 4;
            return len >= 20 && headerLength >= 20 && headerLength <= len ? b[off + 1] & 0x3 : -1;
        }
        if (version == 6) {
            return len >= 40 ? (b[off + 1] >> 4) & 0x3 : -1;
        }
        return -1;
    }

    /**
     * Sets CE on an ECN-capable packet (ECT(0) or ECT(1)); a packet already marked CE stays as it is.
     *
     * @return true if the packet now carries CE (the congestion signal is delivered without a drop); false if its
     *         sender did not ask for ECN or it is not a well-formed IP header, and the packet must be dropped instead
     */
    public static boolean markCongestionExperienced(byte[] b, int off, int len) {
        int ecn = field(b, off, len);
        if (ecn == CE) {
            return true;
        }
        if (ecn != ECT_0 && ecn != ECT_1) {
            return false;
        }
        if (((b[off] >> 4) & 0xf) == 6) {
            b[off + 1] = (byte) (b[off + 1] | 0x30);
            return true;
        }
        int oldWord = OnesComplement.word(b, off);
        b[off + 1] = (byte) (b[off + 1] | CE);
        int newWord = OnesComplement.word(b, off);
        // The version/IHL and TOS word changed: RFC 1624's incremental update of the header checksum.
        int result = OnesComplement.update(OnesComplement.word(b, off + 10), oldWord, newWord);
        b[off + 10] = (byte) (result >>> 8);
        b[off + 11] = (byte) result;
        return true;
    }
}
