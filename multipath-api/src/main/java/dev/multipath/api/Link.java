package dev.multipath.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One live channel to the peer over one path: a TCP connection, or a UDP socket and a remote address.
 * Links are created by a {@link Transport} and reported to the engine through {@link FrameSink}.
 *
 * <p>Threading: {@link #send} is called mostly by the path's sender thread, but rare control frames (handshake
 * replies) may be sent from a receive thread at the same time: implementations must keep concurrent frames whole
 * (never interleave their bytes). {@link #send} may block while the link applies back-pressure (a full socket send
 * buffer), which is how the scheduler learns the link's capacity. All other methods are thread-safe and
 * non-blocking.
 */
public interface Link {

    /**
     * Sends one whole frame (position to limit). Blocks while the link's send buffer is full.
     * The caller keeps ownership of {@code frame}; the link copies what it needs before returning.
     *
     * @return true if the frame was handed to the network, false if the link is down (frame not sent)
     * @throws IOException only for an unexpected local failure; a peer reset makes the link go down instead
     */
    boolean send(ByteBuffer frame) throws IOException;

    /**
     * Sends {@code frames[0, count)} in order, each as one whole frame, in as few system calls as the link can (a
     * UDP link puts runs of equal-sized frames into one segmentation-offload datagram). Same blocking, ownership
     * and threading contract as {@link #send}. Default: {@link #send} for each frame until one is refused.
     *
     * @return how many frames, from the first, were handed to the network; fewer than {@code count} if the link
     *         refused one (the rest were not sent)
     * @throws IOException only for an unexpected local failure, as {@link #send}
     */
    default int sendBatch(ByteBuffer[] frames, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            if (!send(frames[i])) {
                return i;
            }
        }
        return count;
    }

    /** Whether the link can currently carry frames. */
    boolean isUp();

    /** The largest frame, in bytes, this link carries without fragmentation. */
    int maxFrameSize();

    /**
     * Whether the link itself delivers every frame in order and applies congestion control (a TCP connection). The
     * engine then leaves pacing to it and only measures; over a datagram link (UDP, raw IP) the engine's own
     * congestion control decides when each frame may go.
     */
    default boolean isReliable() {
        return false;
    }

    /**
     * Called by the engine when a frame that arrived on this link passed authentication (once per link the engine
     * binds a path to). A listening transport that bounds its links by evicting the least recently heard should
     * evict links that never carried an authenticated frame first: otherwise a flood of datagrams from spoofed
     * source addresses, which costs an attacker nothing, could push a genuine path out. Default: nothing.
     */
    default void markAuthenticated() {
    }

    /** Human-readable description of the remote end, for logs and status (for example "10.0.1.2:4789"). */
    String remoteDescription();
}
