package dev.multipath.api;

/**
 * Session security: the handshake that sets up a session, per-frame seal and open, and the replay window.
 *
 * <p>Frames are laid out as in {@link dev.multipath.frame.FrameHeader}: header, payload, tag. The engine writes
 * the frame type and path id; {@link #seal} fills in what belongs to the session (receiver index, counter, key
 * phase) and appends {@link #tagLength()} bytes of tag; {@link #open} checks all of it before the engine acts on
 * anything in the frame except its type.
 *
 * <p>Threading: {@link #seal} is called concurrently by every path's sender thread and {@link #open} by every
 * receive thread: both are thread-safe and allocate nothing. Handshake methods are called from any thread but
 * are rare; implementations may synchronise them.
 *
 * <p>Errors never throw on bad input: they return a negative code, {@code -(DropReason.ordinal() + 1)}, which
 * the engine counts; see {@link #dropReason(int)}.
 */
public interface Authenticator {

    /** Bytes of tag appended to every sealed frame. */
    int tagLength();

    /** Whether a session exists, so that data frames can be sealed now. */
    boolean hasSession();

    /**
     * Seals the frame in {@code buf[off, off + HEADER + payloadLength)} in place (encrypting the payload if
     * configured) and appends the tag.
     *
     * @return the whole frame's length, or a negative drop code (for example no session yet)
     */
    int seal(byte[] buf, int off, int payloadLength);

    /**
     * Verifies the frame {@code buf[off, off + length)} in place (decrypting if configured), then checks the
     * replay window and freshness.
     *
     * @return the payload length, or a negative drop code
     */
    int open(byte[] buf, int off, int length, long nowNanos);

    /**
     * Local portal: if a handshake initiation is due now (no session, rekey time, retry), writes that whole
     * frame at {@code out[off]} and returns its length; otherwise returns 0.
     */
    int pollHandshake(byte[] out, int off, long nowNanos);

    /**
     * Handles a handshake frame {@code in[inOff, inOff + length)}; may write a reply frame at {@code out[outOff]}.
     *
     * @return the reply's length, 0 for no reply, or a negative drop code
     */
    int onHandshake(byte[] in, int inOff, int length, byte[] out, int outOff, long nowNanos);

    /**
     * As {@link #onHandshake(byte[], int, int, byte[], int, long)}, telling whether the frame came from a proven
     * source: a link that has already carried an authenticated frame (the engine knows: a path is bound to it). A
     * responder can then keep a budget for proven sources that a flood of initiations from elsewhere (anyone who
     * knows the responder's public key can make them) never drains, so a running peer can always rekey.
     * Default: the source is ignored.
     */
    default int onHandshake(byte[] in, int inOff, int length, byte[] out, int outOff, long nowNanos,
            boolean provenSource) {
        return onHandshake(in, inOff, length, out, outOff, nowNanos);
    }

    /** Maps a negative code returned by this interface to its reason. */
    static DropReason dropReason(int code) {
        return DropReason.values()[-code - 1];
    }

    /** The negative code for {@code reason}. */
    static int dropCode(DropReason reason) {
        return -(reason.ordinal() + 1);
    }
}
