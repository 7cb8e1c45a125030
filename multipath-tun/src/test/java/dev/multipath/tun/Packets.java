package dev.multipath.tun;

import java.nio.ByteBuffer;

/** IPv4/IPv6 TCP packets with valid checksums for the offload tests, checked with a naive checksum. */
final class Packets {
    private Packets() {
    }

    /** A TCP packet 10.0.0.1:40000 -> 10.0.0.2:5201 (or fd00::1 -> fd00::2), DF set, valid checksums. */
    static ByteBuffer tcp(boolean v6, int id, int seq, int flags, byte[] options, byte[] payload, int tos) {
        int ipLen = v6 ? 40 : 20;
        int thl = 20 + options.length;
        int total = ipLen + thl + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        if (v6) {
            b.putInt(0, 0x60000000 | (tos << 20));
            b.putShort(4, (short) (thl + payload.length));
            b.put(6, (byte) 6);
            b.put(7, (byte) 64);
            b.put(8, (byte) 0xfd);
            b.put(23, (byte) 1);
            b.put(24, (byte) 0xfd);
            b.put(39, (byte) 2);
        } else {
            b.put(0, (byte) 0x45);
            b.put(1, (byte) tos);
            b.putShort(2, (short) total);
            b.putShort(4, (short) id);
            b.putShort(6, (short) 0x4000);
            b.put(8, (byte) 64);
            b.put(9, (byte) 6);
            b.putInt(12, 0x0a000001);
            b.putInt(16, 0x0a000002);
            InternetChecksum.setIpv4HeaderChecksum(b, 0);
        }
        int t = ipLen;
        b.putShort(t, (short) 40000);
        b.putShort(t + 2, (short) 5201);
        b.putInt(t + 4, seq);
        b.putInt(t + 8, 0x12345678);
        b.put(t + 12, (byte) ((thl / 4) << 4));
        b.put(t + 13, (byte) flags);
        b.putShort(t + 14, (short) 501);
        b.put(t + 20, options);
        b.put(t + thl, payload);
        b.position(0);
        long sum = InternetChecksum.pseudoHeader(b, 0, v6, 6, thl + payload.length);
        b.putShort(t + 16, (short) ~fold(sum + naiveSum(b.array(), t, thl + payload.length)));
        return b;
    }

    static boolean v6(ByteBuffer p) {
        return (p.get(0) & 0xf0) == 0x60;
    }

    static int l4(ByteBuffer p) {
        return v6(p) ? 40 : (p.get(0) & 0x0f) * 4;
    }

    static int headerLength(ByteBuffer p) {
        return l4(p) + ((p.get(l4(p) + 12) & 0xff) >>> 4) * 4;
    }

    static int ipLength(ByteBuffer p) {
        return v6(p) ? (p.getShort(4) & 0xffff) + 40 : p.getShort(2) & 0xffff;
    }

    /** IPv4 header and TCP checksums verify (naive sums, independent of InternetChecksum.sum). */
    static boolean validChecksums(ByteBuffer p) {
        byte[] a = p.array();
        int l4 = l4(p);
        if (!v6(p) && fold(naiveSum(a, 0, l4)) != 0xffff) {
            return false;
        }
        int l4Length = p.limit() - l4;
        long pseudo = naiveSum(a, v6(p) ? 8 : 12, v6(p) ? 32 : 8) + 6 + l4Length;
        return fold(pseudo + naiveSum(a, l4, l4Length)) == 0xffff;
    }

    static long naiveSum(byte[] d, int off, int len) {
        long sum = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = d[off + i] & 0xff;
            int lo = i + 1 < len ? d[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        return sum;
    }

    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
