package dev.multipath.examples.config;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How big an inner packet a path carries whole: its link MTU less the outer headers of its transport and the frame's
 * own 24 bytes (12-byte header, 12-byte tag; docs/protocol.md). The TUN's MTU is the smallest of these over the
 * paths, so that no frame is ever larger than the link it goes on and nothing is fragmented.
 */
public final class PathMtu {

    /** A path's link MTU when its table sets none (Ethernet). */
    public static final int DEFAULT_LINK_MTU = 1500;
    /** Frame header and authentication tag around every inner packet. */
    public static final int FRAME_OVERHEAD = 12 + 12;
    /**
     * TCP's headers as they go on the wire: IP, 20 bytes of TCP and 12 of the timestamp option Linux sends, and the
     * transport's 2-byte length prefix; a frame that fits one segment is never split across two.
     */
    private static final int TCP_OVERHEAD = 20 + 12 + 2;
    private static final int UDP_OVERHEAD = 8;

    private PathMtu() {
    }

    /** Outer bytes per frame: the IP header (20 or 40) plus what the transport adds. */
    public static int outerOverhead(TransportKind transport, InetAddress family) {
        return outerOverhead(transport, !(family instanceof Inet4Address));
    }

    /** Outer bytes per frame over IPv4 ({@code ipv6} false) or IPv6. */
    public static int outerOverhead(TransportKind transport, boolean ipv6) {
        int ip = ipv6 ? 40 : 20;
        return switch (transport) {
            case UDP -> ip + UDP_OVERHEAD;
            case TCP -> ip + TCP_OVERHEAD;
            case RAWIP -> ip;
        };
    }

    /** The largest inner packet the path carries whole. */
    public static int innerMtu(PathConfig path) {
        return path.mtu() - outerOverhead(path.transport(), path.local()) - FRAME_OVERHEAD;
    }

    /**
     * The link MTU a remote portal's listener accepts frames for: room for the TUN's largest packet over the
     * costliest transport (TCP over IPv6), never below Ethernet's 1500.
     */
    public static int listenerLinkMtu(int tunMtu) {
        return Math.max(DEFAULT_LINK_MTU, tunMtu + FRAME_OVERHEAD + 40 + TCP_OVERHEAD);
    }
}
