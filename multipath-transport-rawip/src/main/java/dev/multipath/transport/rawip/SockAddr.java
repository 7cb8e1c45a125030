package dev.multipath.transport.rawip;

import static dev.multipath.transport.rawip.LinuxConstants.AF_INET;
import static dev.multipath.transport.rawip.LinuxConstants.AF_INET6;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct sockaddr_in / sockaddr_in6 in a buffer, and the compact (hi, lo) key the listener uses to look up a source
 * address without allocating. Layout: family (native-order u16) at 0; IPv4 address at 4 (network order); IPv6
 * address at 8 and scope id (native u32) at 24. Ports stay 0: raw sockets have none.
 */
final class SockAddr {

    static final int IPV4_LEN = 16;
    static final int IPV6_LEN = 28;
    /** Big enough for either. */
    static final int MAX_LEN = IPV6_LEN;

    private SockAddr() {
    }

    /** Encodes {@code a} as a sockaddr (zeroing the rest) into {@code dst} at 0 and returns its length. */
    static int write(ByteBuffer dst, InetAddress a) {
        for (int i = 0; i < MAX_LEN; i++) {
            dst.put(i, (byte) 0);
        }
        byte[] raw = a.getAddress();
        if (a instanceof Inet4Address) {
            putFamily(dst, AF_INET);
            dst.put(4, raw);
            return IPV4_LEN;
        }
        putFamily(dst, AF_INET6);
        dst.put(8, raw);
        putNative(dst, 24, ((Inet6Address) a).getScopeId(), 4);
        return IPV6_LEN;
    }

    /** The sockaddr as a byte array (for a link's destination, copied into native memory at each send). */
    static byte[] encode(InetAddress a) {
        ByteBuffer b = ByteBuffer.allocate(MAX_LEN);
        int len = write(b, a);
        byte[] out = new byte[len];
        b.get(0, out);
        return out;
    }

    private static void putFamily(ByteBuffer dst, int family) {
        putNative(dst, 0, family, 2);
    }

    /** Writes the low {@code bytes} bytes of {@code v} at {@code at} in native byte order, whatever dst's order. */
    private static void putNative(ByteBuffer dst, int at, int v, int bytes) {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (little ? i : bytes - 1 - i);
            dst.put(at + i, (byte) (v >>> shift));
        }
    }

    private static int getNative(ByteBuffer src, int at, int bytes) {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        int v = 0;
        for (int i = 0; i < bytes; i++) {
            int shift = 8 * (little ? i : bytes - 1 - i);
            v |= (src.get(at + i) & 0xff) << shift;
        }
        return v;
    }

    /** The family field of a sockaddr. */
    static int family(ByteBuffer sa) {
        return getNative(sa, 0, 2);
    }

    /** High half of the key: the first 8 address bytes for IPv6, 0 for IPv4. {@code sa} must be big-endian. */
    static long keyHi(ByteBuffer sa, boolean ipv6) {
        return ipv6 ? sa.getLong(8) : 0L;
    }

    /** Low half of the key: the last 8 address bytes for IPv6, the 4 address bytes for IPv4. */
    static long keyLo(ByteBuffer sa, boolean ipv6) {
        return ipv6 ? sa.getLong(16) : sa.getInt(4) & 0xffffffffL;
    }

    /** The source address in {@code sa} as an InetAddress (allocates: only for a new link). */
    static InetAddress address(ByteBuffer sa, boolean ipv6) {
        byte[] raw = new byte[ipv6 ? 16 : 4];
        sa.get(ipv6 ? 8 : 4, raw);
        try {
            if (ipv6) {
                // Inet6Address explicitly: InetAddress.getByAddress would turn ::ffff:a.b.c.d into an Inet4Address.
                int scope = getNative(sa, 24, 4);
                boolean linkLocal = raw[0] == (byte) 0xfe && (raw[1] & 0xc0) == 0x80;
                return Inet6Address.getByAddress(null, raw, linkLocal && scope != 0 ? scope : -1);
            }
            return InetAddress.getByAddress(raw);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("address of fixed length", e);
        }
    }
}
