package dev.multipath.sim;

/** Builds well-formed inner IP packets for tests and simulations. */
public final class TestPackets {

    private TestPackets() {
    }

    /**
     * An IPv4/UDP packet of {@code totalLength} bytes from 10.0.0.{srcHost}:{srcPort} to 10.9.0.1:{dstPort}, whose
     * payload starts with {@code sequence} (8 bytes, big-endian) so tests can identify it.
     */
    public static byte[] ipv4Udp(int srcHost, int srcPort, int dstPort, long sequence, int totalLength) {
        if (totalLength < 36 || totalLength > 65535) {
            throw new IllegalArgumentException("total length must be 36..65535");
        }
        byte[] b = new byte[totalLength];
        b[0] = 0x45;
        b[2] = (byte) (totalLength >>> 8);
        b[3] = (byte) totalLength;
        b[8] = 64;
        b[9] = 17;
        b[12] = 10;
        b[15] = (byte) srcHost;
        b[16] = 10;
        b[17] = 9;
        b[19] = 1;
        int udpLen = totalLength - 20;
        b[20] = (byte) (srcPort >>> 8);
        b[21] = (byte) srcPort;
        b[22] = (byte) (dstPort >>> 8);
        b[23] = (byte) dstPort;
        b[24] = (byte) (udpLen >>> 8);
        b[25] = (byte) udpLen;
        for (int i = 0; i < 8; i++) {
            b[28 + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return b;
    }

    /** The sequence number written by {@link #ipv4Udp}. */
    public static long sequenceOf(byte[] ipv4Udp) {
        long s = 0;
        for (int i = 0; i < 8; i++) {
            s = (s << 8) | (ipv4Udp[28 + i] & 0xff);
        }
        return s;
    }

    /**
     * An IPv4/TCP SYN from 10.0.0.{srcHost}:{srcPort} to 10.9.0.1:{dstPort} announcing {@code mss}, with a valid
     * checksum (options: MSS, NOP, window scale, SACK permitted, NOPs).
     */
    public static byte[] ipv4TcpSyn(int srcHost, int srcPort, int dstPort, int mss) {
        byte[] b = new byte[20 + 32];
        b[0] = 0x45;
        b[3] = (byte) b.length;
        b[6] = 0x40;
        b[8] = 64;
        b[9] = 6;
        b[12] = 10;
        b[15] = (byte) srcHost;
        b[16] = 10;
        b[17] = 9;
        b[19] = 1;
        int t = 20;
        b[t] = (byte) (srcPort >>> 8);
        b[t + 1] = (byte) srcPort;
        b[t + 2] = (byte) (dstPort >>> 8);
        b[t + 3] = (byte) dstPort;
        b[t + 7] = 42; // sequence number
        b[t + 12] = (byte) (8 << 4);
        b[t + 13] = 0x02;
        b[t + 14] = (byte) 0xfa;
        byte[] options = {2, 4, (byte) (mss >>> 8), (byte) mss, 1, 3, 3, 7, 4, 2, 1, 1};
        System.arraycopy(options, 0, b, t + 20, options.length);
        setTcpChecksum(b);
        return b;
    }

    /** The MSS option of a packet built by {@link #ipv4TcpSyn}. */
    public static int mssOf(byte[] ipv4TcpSyn) {
        return ((ipv4TcpSyn[42] & 0xff) << 8) | (ipv4TcpSyn[43] & 0xff);
    }

    /**
     * Whether the TCP checksum of {@code p} verifies: an IPv4 packet with a 20-byte header, or an IPv6 packet without
     * extension headers.
     */
    public static boolean tcpChecksumVerifies(byte[] p) {
        return fold(tcpSum(p)) == 0xffff;
    }

    /** Fills in the TCP checksum of a packet as {@link #tcpChecksumVerifies} reads it. */
    public static void setTcpChecksum(byte[] p) {
        int t = tcpOffset(p);
        p[t + 16] = 0;
        p[t + 17] = 0;
        int c = ~fold(tcpSum(p)) & 0xffff;
        p[t + 16] = (byte) (c >>> 8);
        p[t + 17] = (byte) c;
    }

    private static int tcpOffset(byte[] p) {
        return ((p[0] >> 4) & 0xf) == 6 ? 40 : 20;
    }

    /** Pseudo-header (addresses, protocol, TCP length) plus the TCP header and payload, unfolded. */
    private static long tcpSum(byte[] p) {
        int t = tcpOffset(p);
        long sum = 6 + (p.length - t);
        for (int i = t == 40 ? 8 : 12; i < t; i += 2) { // source and destination addresses
            sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
        }
        for (int i = t; i < p.length; i += 2) {
            sum += ((p[i] & 0xff) << 8) | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
        }
        return sum;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
