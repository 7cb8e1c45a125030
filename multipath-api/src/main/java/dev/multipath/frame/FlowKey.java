package dev.multipath.frame;

/**
 * Maps an inner IP packet to one of {@link #BUCKETS} flow buckets by its addresses, protocol and (for TCP, UDP, SCTP
 * and DCCP) ports, so both portals put the packets of one flow in the same bucket without sending the bucket id.
 * Different flows may share a bucket; they are then ordered together, which is safe, only stricter.
 */
public final class FlowKey {

    /** Number of buckets: a power of two. */
    public static final int BUCKETS = 4096;

    private FlowKey() {
    }

    /** The bucket of the well-formed IP packet {@code b[off, off + len)}. */
    public static int bucket(byte[] b, int off, int len) {
        int version = (b[off] >> 4) & 0xf;
        int h;
        int proto;
        int l4;
        if (version == 4) {
            proto = b[off + 9] & 0xff;
            h = mix(0x9e3779b9, readInt(b, off + 12));
            h = mix(h, readInt(b, off + 16));
            int fragment = ((b[off + 6] & 0x1f) << 8) | (b[off + 7] & 0xff);
            l4 = fragment == 0 ? off + (b[off] & 0xf) * 4 : -1;
        } else {
            proto = b[off + 6] & 0xff;
            h = 0x7f4a7c15;
            for (int i = 8; i < 40; i += 4) {
                h = mix(h, readInt(b, off + i));
            }
            l4 = off + 40;
        }
        h = mix(h, proto);
        if (l4 >= 0 && l4 + 4 <= off + len && hasPorts(proto)) {
            h = mix(h, readInt(b, l4));
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h & (BUCKETS - 1);
    }

    private static boolean hasPorts(int proto) {
        return proto == 6 || proto == 17 || proto == 132 || proto == 33;
    }

    private static int mix(int h, int v) {
        h ^= v * 0xcc9e2d51;
        return Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }

    private static int readInt(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }
}
