package dev.multipath.api;

import java.nio.ByteBuffer;

/**
 * The engine's side of a {@link Transport}: where received frames and link state changes go.
 *
 * <p>Threading: called from the transport's receive threads, possibly several at once (one per link).
 * Implementations are thread-safe and return quickly; they never block on the network.
 */
public interface FrameSink {

    /**
     * A frame arrived on {@code link}. The bytes between {@code frame}'s position and limit are valid only
     * for the duration of the call: the transport reuses the buffer afterwards. The frame is untrusted input.
     */
    void onFrame(Link link, ByteBuffer frame);

    /** {@code link} can carry frames (connected, or first frame received). */
    void onLinkUp(Link link);

    /** {@code link} stopped carrying frames (connection lost, interface gone). It may come up again. */
    void onLinkDown(Link link);
}
