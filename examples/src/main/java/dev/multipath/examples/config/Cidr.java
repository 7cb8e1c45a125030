package dev.multipath.examples.config;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * An interface address with its prefix length, such as {@code 172.19.152.2/30}.
 *
 * @param address      the address (IPv4 or IPv6), never resolved through DNS
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + max);
        }
    }

    /** The conventional text form, {@code address/prefix}, as {@code ip addr add} takes it. */
    @Override
    public String toString() {
        return IpLiterals.format(address) + "/" + prefixLength;
    }
}
