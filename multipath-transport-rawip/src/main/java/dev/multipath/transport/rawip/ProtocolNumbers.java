package dev.multipath.transport.rawip;

/**
 * Which IP protocol numbers the transport may use. RFC 3692 sets 253 and 254 aside for experiments; other unassigned
 * numbers work too, but numbers the kernel or common equipment already handle are refused: a raw socket on them would
 * see (and answer) traffic that is not ours, and our frames would confuse the real protocol's handlers.
 */
final class ProtocolNumbers {

    /** RFC 3692 experimental number used when none is configured. */
    static final int DEFAULT = 253;

    private ProtocolNumbers() {
    }

    /**
     * Checks a configured protocol number.
     *
     * @return {@code protocol}
     * @throws IllegalArgumentException with a one-line reason if it is outside 0..255 or taken by a protocol in use
     */
    static int check(int protocol) {
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("IP protocol number " + protocol + " outside 0..255; use 253 or 254"
                    + " (RFC 3692 experimental)");
        }
        String taken = inUse(protocol);
        if (taken != null) {
            throw new IllegalArgumentException("IP protocol number " + protocol + " is " + taken + "; the raw IP"
                    + " transport needs a number no stack on the path handles: use 253 or 254 (RFC 3692"
                    + " experimental)");
        }
        return protocol;
    }

    /** The protocol a number belongs to, if the kernel or common equipment handles it; null if free for us. */
    static String inUse(int protocol) {
        switch (protocol) {
            case 0: return "IPv6 hop-by-hop options (and 'any protocol' to the socket API)";
            case 1: return "ICMP";
            case 2: return "IGMP";
            case 4: return "IP-in-IP";
            case 6: return "TCP";
            case 17: return "UDP";
            case 33: return "DCCP";
            case 41: return "IPv6-in-IP";
            case 43: return "the IPv6 routing header";
            case 44: return "the IPv6 fragment header";
            case 46: return "RSVP";
            case 47: return "GRE";
            case 50: return "IPsec ESP";
            case 51: return "IPsec AH";
            case 58: return "ICMPv6";
            case 59: return "IPv6 'no next header'";
            case 60: return "the IPv6 destination options header";
            case 89: return "OSPF";
            case 97: return "EtherIP";
            case 103: return "PIM";
            case 112: return "VRRP";
            case 115: return "L2TP";
            case 132: return "SCTP";
            case 135: return "the IPv6 mobility header";
            case 136: return "UDP-Lite";
            case 137: return "MPLS-in-IP";
            case 143: return "Ethernet (segment routing)";
            case 255: return "reserved (IPPROTO_RAW: send-only, header included)";
            default: return null;
        }
    }
}
