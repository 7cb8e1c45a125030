package dev.multipath.api;

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
 * @param sourceCounters   the packet source's own counters ({@link PacketSource#counters()}), empty if none
 */
public record PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
        boolean sessionEstablished, List<Path> paths, Map<DropReason, Long> drops,
        Reorder reorder, List<Peer> peers, Map<String, Long> sourceCounters) {

    public PortalStatus {
        peers = peers == null ? List.of() : List.copyOf(peers);
        sourceCounters = sourceCounters == null ? Map.of() : Map.copyOf(sourceCounters);
    }

    /** Without source counters. */
    public PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
            boolean sessionEstablished, List<Path> paths, Map<DropReason, Long> drops, Reorder reorder,
            List<Peer> peers) {
        this(role, sourceName, packetsFromSource, packetsToSource, sessionEstablished, paths, drops, reorder, peers,
                Map.of());
    }

    /** A single-peer portal. */
    public PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
            boolean sessionEstablished, List<Path> paths, Map<DropReason, Long> drops,
            Reorder reorder) {
        this(role, sourceName, packetsFromSource, packetsToSource, sessionEstablished, paths, drops, reorder,
                List.of());
    }

    /** Without reorder counters (tests). */
    public PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
            boolean sessionEstablished, List<Path> paths, Map<DropReason, Long> drops) {
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

    /**
     * A point-in-time view of one path.
     *
     * @param state "waiting" (never connected), "up", "down" (link lost) or "dead" (link up, probes unanswered)
     * @param lastReceiveNanos System.nanoTime of the last authenticated frame, 0 if none
     * @param rttNanos smoothed RTT, 0 while unknown
     * @param rateBytesPerSecond measured delivery rate, 0 while unknown
     */
    public record Path(int id, String name, String state, int metric, String remote, long packetsSent,
            long bytesSent, long packetsReceived, long bytesReceived, long downEvents, long lastReceiveNanos,
            long rttNanos, long rateBytesPerSecond, Congestion congestion) {

        /** Without congestion figures (tests, transports without congestion control). */
        public Path(int id, String name, String state, int metric, String remote, long packetsSent,
                long bytesSent, long packetsReceived, long bytesReceived, long downEvents, long lastReceiveNanos,
                long rttNanos, long rateBytesPerSecond) {
            this(id, name, state, metric, remote, packetsSent, bytesSent, packetsReceived, bytesReceived, downEvents,
                    lastReceiveNanos, rttNanos, rateBytesPerSecond, Congestion.NONE);
        }
    }

    /**
     * Congestion-control figures of one path.
     *
     * @param controller "bbr", "cubic", or "-" when the link does its own (TCP)
     * @param lostFrames DATA frames declared lost on this path (sent by this side)
     * @param silences times a full frame's ACK was overdue by a retransmission timeout (the path was probed at once
     *        and given no new data until it answered; most silences end in an answer, a black hole's in death)
     * @param rescued data packets sent again on other paths because this path fell silent before acknowledging them
     * @param padding PADDING frames sent while this path's controller searched for its capacity (decision 41)
     * @param ecnMarked inner packets the path's queue manager (CoDel) marked Congestion Experienced instead of dropping
     *        them, because their sender negotiated ECN (decision 45)
     */
    public record Congestion(String controller, long cwndBytes, long bytesInFlight, long pacingRateBytesPerSecond,
            long minRttNanos, long ackedFrames, long lostFrames, long deaths, long revivals, long silences,
            long rescued, long padding, long ecnMarked) {
        public static final Congestion NONE = new Congestion("-", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
