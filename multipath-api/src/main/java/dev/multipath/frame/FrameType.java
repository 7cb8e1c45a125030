package dev.multipath.frame;

/** Frame types of protocol version 1 (see docs/protocol.md). Codes are 5 bits. */
public enum FrameType {
    /** An inner IP packet. */
    DATA(0),
    /** Sent on a link when it comes up and when idle: tells the peer the path exists and is alive. */
    KEEPALIVE(1),
    /** Path probe; the peer answers with PROBE_REPLY echoing the probe's payload. */
    PROBE(2),
    /** Answer to PROBE. */
    PROBE_REPLY(3),
    /** Congestion-control acknowledgement (per path). */
    ACK(4),
    /**
     * Zeros that carry no inner packet, congestion-controlled and acknowledged like DATA: sent on a path whose
     * controller is still searching for the path's capacity when there is no data for it, so the search ends
     * before the inner traffic needs the capacity (docs/decisions.md, decision 41).
     */
    PADDING(5),
    /** Handshake initiation (local to remote). */
    HANDSHAKE_INIT(8),
    /** Handshake response (remote to local). */
    HANDSHAKE_RESPONSE(9),
    /** Cookie reply under load (remote to local). */
    COOKIE(10);

    private static final FrameType[] BY_CODE = new FrameType[32];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this 5-bit code, or null if the code is not assigned. */
    public static FrameType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Whether frames of this type are handled by the authenticator's handshake, not the session keys. */
    public boolean isHandshake() {
        return this == HANDSHAKE_INIT || this == HANDSHAKE_RESPONSE || this == COOKIE;
    }
}
