package dev.multipath.api;

import java.util.Set;

/**
 * Which inner packets are sent on every usable path at once (redundant mode, for real-time traffic such as VoIP or
 * games: a loss or a stall on one path then costs nothing). Selected by IP protocol, by TCP/UDP port (source or
 * destination), or by DSCP. The receiver delivers each packet once: second copies carry the same flow sequence number
 * and are dropped by its reorder buffer.
 */
public final class RedundancyPolicy {

    /** Sends nothing redundantly. */
    public static final RedundancyPolicy NONE = new RedundancyPolicy(Set.of(), Set.of(), Set.of());

    private final boolean[] protocols = new boolean[256];
    private final boolean[] ports = new boolean[65536];
    private final boolean[] dscps = new boolean[64];
    private final boolean empty;

    /**
     * @param protocols IP protocol numbers (17 = UDP, 6 = TCP, ...) whose every packet is redundant
     * @param ports     TCP or UDP ports (either end) whose packets are redundant
     * @param dscps     DSCP values (0..63; 46 = EF, voice) whose packets are redundant
     */
    public RedundancyPolicy(Set<Integer> protocols, Set<Integer> ports, Set<Integer> dscps) {
        protocols.forEach(p -> this.protocols[check(p, 255, "protocol")] = true);
        ports.forEach(p -> this.ports[check(p, 65535, "port")] = true);
        dscps.forEach(d -> this.dscps[check(d, 63, "dscp")] = true);
        this.empty = protocols.isEmpty() && ports.isEmpty() && dscps.isEmpty();
    }

    private static int check(int v, int max, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(what + " must be 0.." + max + ", was " + v);
        }
        return v;
    }

    /** Whether the well-formed IP packet {@code b[off, off + len)} is to be sent on every path. */
    public boolean matches(byte[] b, int off, int len) {
        if (empty) {
            return false;
        }
        int version = (b[off] >> 4) & 0xf;
        int proto;
        int dscp;
        int l4;
        if (version == 4) {
            dscp = (b[off + 1] & 0xff) >>> 2;
            proto = b[off + 9] & 0xff;
            int fragment = ((b[off + 6] & 0x1f) << 8) | (b[off + 7] & 0xff);
            l4 = fragment == 0 ? off + (b[off] & 0xf) * 4 : -1;
        } else {
            dscp = (((b[off] & 0x0f) << 4) | ((b[off + 1] & 0xf0) >>> 4)) >>> 2;
            proto = b[off + 6] & 0xff;
            l4 = off + 40;
        }
        if (protocols[proto] || dscps[dscp]) {
            return true;
        }
        if ((proto == 6 || proto == 17) && l4 >= 0 && l4 + 4 <= off + len) {
            int src = ((b[l4] & 0xff) << 8) | (b[l4 + 1] & 0xff);
            int dst = ((b[l4 + 2] & 0xff) << 8) | (b[l4 + 3] & 0xff);
            return ports[src] || ports[dst];
        }
        return false;
    }
}
