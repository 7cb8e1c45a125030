package dev.multipath.frame;

/** Cheap structural checks on an inner IP packet, so that nothing malformed reaches a TUN device. */
public final class InnerPacket {

    private InnerPacket() {
    }

    /** Whether {@code b[off, off + len)} is exactly one IPv4 or IPv6 packet by its own length fields. */
    public static boolean isWellFormed(byte[] b, int off, int len) {
        if (len < 1) {
            return false;
        }
        int version = (b[off] >> 4) & 0xf;
        if (version == 4) {
            if (len < 20) {
                return false;
            }
            int ihl = (b[off] & 0xf) * 4;
            int total = ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
            return ihl >= 20 && ihl <= total && total == len;
        }
        if (version == 6) {
            if (len < 40) {
                return false;
            }
            int payload = ((b[off + 4] & 0xff) << 8) | (b[off + 5] & 0xff);
            return payload + 40 == len;
        }
        return false;
    }
}
