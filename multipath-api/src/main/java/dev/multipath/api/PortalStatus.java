package dev.multipath.api;

import dev.multipath.stats.PathStats;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of a running portal, for status output and metrics.
 *
 * @param role             which end this portal is
 * @param sourceName       the packet source's name (TUN interface)
 * @param packetsFromSource IP packets read from the packet source
 * @param packetsToSource  IP packets written to the packet source
 * @param sessionEstablished whether the authenticator has a session
 * @param paths            every known path
 * @param drops            non-zero drop counters by reason
 * @param reorder          the receive side's reordering counters
 * @param peers            a remote portal serving many peers: one entry per peer (its paths are also in
 *                         {@code paths}, named "peer/path"); empty on a single-peer portal
 */
public record PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
        boolean sessionEstablished, List<PathStats.Snapshot> paths, Map<DropReason, Long> drops,
        Reorder reorder, List<Peer> peers) {

    public PortalStatus {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    /** A single-peer portal. */
    public PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
            boolean sessionEstablished, List<PathStats.Snapshot> paths, Map<DropReason, Long> drops,
            Reorder reorder) {
        this(role, sourceName, packetsFromSource, packetsToSource, sessionEstablished, paths, drops, reorder,
                List.of());
    }

    /** Without reorder counters (tests). */
    public PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
            boolean sessionEstablished, List<PathStats.Snapshot> paths, Map<DropReason, Long> drops) {
        this(role, sourceName, packetsFromSource, packetsToSource, sessionEstablished, paths, drops, Reorder.NONE);
    }

    /**
     * One peer of a remote portal serving many.
     *
     * @param name               the peer's name
     * @param publicKey          its static public key (base64)
     * @param allowedIps         its allowed IPs ("10.1.0.0/24", ...)
     * @param sessionEstablished whether its session is up
     * @param packetsFromSource  packets routed to it from the packet source
     * @param packetsToSource    its packets written to the packet source
     * @param paths              names of its paths
     * @param drops              its non-zero drop counters
     * @param reorder            its reordering counters
     */
    public record Peer(String name, String publicKey, List<String> allowedIps, boolean sessionEstablished,
            long packetsFromSource, long packetsToSource, List<String> paths, Map<DropReason, Long> drops,
            Reorder reorder) {
    }

    /**
     * How the receive side restored order across paths.
     *
     * @param held            packets that waited for an earlier one
     * @param releasedInOrder packets released in the sender's order
     * @param releasedByTimeout packets released when the wait bound passed
     * @param releasedBySettle packets released because every path had passed them (their predecessor was lost)
     * @param lateArrivals    packets that arrived after their turn (delivered at once)
     * @param duplicates      second copies dropped (redundant mode)
     * @param holdBoundNanos  the current wait bound (delay spread between paths plus a margin)
     */
    public record Reorder(long held, long releasedInOrder, long releasedByTimeout, long releasedBySettle,
            long lateArrivals, long duplicates, long holdBoundNanos) {
        public static final Reorder NONE = new Reorder(0, 0, 0, 0, 0, 0, 0);
    }
}
