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
}
