package dev.multipath.api;

/** Why a packet or frame was dropped. Every drop is counted under exactly one reason. */
public enum DropReason {
    /** The send queue was full: the portal is sending as fast as its paths carry. */
    QUEUE_FULL,
    /** No path was usable when the packet arrived. */
    NO_PATH,
    /** A frame too short, too long, with a bad version or length field. */
    MALFORMED,
    /** A frame of a type this side does not accept. */
    UNEXPECTED_TYPE,
    /** A frame whose tag did not verify (forged, corrupted, or sealed under another key). */
    AUTHENTICATION,
    /** A frame whose counter was already seen or is older than the replay window. */
    REPLAY,
    /** A frame outside the freshness bound on time. */
    STALE,
    /** A frame for a session that does not exist (yet, or any more). */
    NO_SESSION,
    /** A frame naming a path id this side cannot accept. */
    UNKNOWN_PATH,
    /** A packet larger than the path can carry unfragmented. */
    TOO_BIG,
    /** The inner packet is not a well-formed IP packet. */
    BAD_INNER_PACKET,
    /** The packet source (TUN) refused a write. */
    SOURCE_WRITE_FAILED,
    /** A handshake message that was rejected (bad key, old timestamp, rate limit). */
    HANDSHAKE_REJECTED,
    /** The receive queue towards the packet source was full. */
    RECEIVE_QUEUE_FULL,
    /** A link refused the frame (went down while sending). */
    LINK_DOWN,
    /** An inner packet from a peer whose source address is outside that peer's allowed IPs (cryptokey routing). */
    SOURCE_NOT_ALLOWED,
    /** A packet from the packet source whose destination is in no peer's allowed IPs. */
    NO_ROUTE,
    /** A packet dropped by CoDel: it waited in the portal's queue too long (a standing queue: congestion signal). */
    QUEUE_DELAY
}
