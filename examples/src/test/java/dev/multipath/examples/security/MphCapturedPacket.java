package dev.multipath.examples.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One IPv4 UDP packet seen on a link by {@link MphLinkCapture}: the whole IP packet as captured, when, and whether
 * it was leaving the capturing interface. Immutable.
 */
record MphCapturedPacket(byte[] ip, long nanos, boolean outgoing) {

    int headerLength() {
        return (ip[0] & 0x0f) * 4;
    }

    InetAddress source() {
        return address(12);
    }

    InetAddress destination() {
        return address(16);
    }

    int sourcePort() {
        return u16(headerLength());
    }

    int destinationPort() {
        return u16(headerLength() + 2);
    }

    /** The UDP payload: for portal traffic, one whole frame. A copy. */
    byte[] udpPayload() {
        return Arrays.copyOfRange(ip, headerLength() + 8, ip.length);
    }

    /** The frame's type code (header byte 0, bits 5-1), or -1 if there is no payload. */
    int frameType() {
        int off = headerLength() + 8;
        return off < ip.length ? (ip[off] >> 1) & 0x1f : -1;
    }

    /**
     * A copy of the packet fit for sending again through a raw IP socket: the UDP checksum is set to 0 ("none",
     * valid for IPv4), because a packet captured on a veth leaving a local socket carries only a partial checksum
     * (the NIC's job, offloaded) and would be dropped by the receiver's UDP layer if re-sent as it is.
     */
    byte[] forResending() {
        byte[] copy = ip.clone();
        int udp = headerLength();
        copy[udp + 6] = 0;
        copy[udp + 7] = 0;
        return copy;
    }

    private int u16(int off) {
        return ((ip[off] & 0xff) << 8) | (ip[off + 1] & 0xff);
    }

    private InetAddress address(int off) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(ip, off, off + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
