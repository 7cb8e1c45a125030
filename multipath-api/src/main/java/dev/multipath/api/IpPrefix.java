package dev.multipath.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix such as {@code 10.1.0.0/24} or {@code fd00:1::/64}: an entry of a peer's
 * {@code allowed_ips}. Immutable; bits past the prefix length are cleared, so {@code 10.1.0.7/24} equals
 * {@code 10.1.0.0/24}.
 *
 * @param address 4 or 16 bytes (copied), host bits zero
 * @param length  prefix length in bits, 0..32 or 0..128
 */
public record IpPrefix(byte[] address, int length) {

    public IpPrefix {
        if (address == null || address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes");
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for " + address.length * 8
                    + "-bit address");
        }
        address = masked(address, length);
    }

    /** Every IPv4 address. */
    public static final IpPrefix ALL_V4 = new IpPrefix(new byte[4], 0);
    /** Every IPv6 address. */
    public static final IpPrefix ALL_V6 = new IpPrefix(new byte[16], 0);

    /**
     * Parses {@code "10.1.0.0/24"}, {@code "fd00:1::/64"} or a bare address (a host prefix: /32 or /128). Only
     * numeric literals are accepted (no name look-ups).
     *
     * @throws IllegalArgumentException with a message saying what is wrong
     */
    public static IpPrefix parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean numeric = addr.contains(":") ? addr.matches("[0-9a-fA-F:.]+") : addr.matches("[0-9.]+");
        if (addr.isEmpty() || !numeric) {
            throw new IllegalArgumentException("'" + text + "' is not an IP prefix (like 10.1.0.0/24 or fd00::/64)");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(addr).getAddress(); // numeric only: checked above
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
        if (addr.contains(":") && bytes.length == 4) {
            // "::ffff:1.2.3.4" comes back as IPv4: keep the family that was written.
            byte[] v6 = new byte[16];
            v6[10] = (byte) 0xff;
            v6[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, v6, 12, 4);
            bytes = v6;
        }
        int length = bytes.length * 8;
        if (slash >= 0) {
            try {
                length = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "': prefix length is not a number", e);
            }
        }
        return new IpPrefix(bytes, length);
    }

    public boolean isV4() {
        return address.length == 4;
    }

    /** Whether {@code addr[off, off + address().length)} lies in this prefix. */
    public boolean contains(byte[] addr, int off) {
        int full = length / 8;
        for (int i = 0; i < full; i++) {
            if (addr[off + i] != address[i]) {
                return false;
            }
        }
        int rest = length % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (addr[off + full] & mask) == (address[full] & 0xff);
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** Bit {@code i} (0 = most significant) of the address. */
    public int bit(int i) {
        return (address[i >>> 3] >>> (7 - (i & 7))) & 1;
    }

    private static byte[] masked(byte[] a, int length) {
        byte[] m = a.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, length - 8 * i));
            m[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + length;
    }

    @Override
    public String toString() {
        try {
            String a = InetAddress.getByAddress(address).getHostAddress();
            return a + "/" + length;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }
}
