package dev.multipath.api;

import java.io.Closeable;
import java.io.IOException;

/**
 * One way of carrying frames to the peer (TCP, UDP, raw IP). A transport owns its sockets and threads.
 *
 * <p>On the local portal a transport is built per configured path and connects from the path's local
 * address to the remote endpoint; it reports exactly one {@link Link}, which goes down and up as the
 * connection is lost and re-established (with backoff). On the remote portal a transport listens and reports
 * one link per peer connection or per peer address.
 *
 * <p>Transports never interpret frames: authentication, path identity and ordering are the engine's job.
 * A transport only guarantees that each {@link FrameSink#onFrame} call carries exactly the bytes of one
 * {@link Link#send} call on the other side (or is never made).
 *
 * <p>Threading: {@link #start} and {@link #close} are called once each, from a control thread; {@link #close}
 * stops the transport's threads and releases its sockets before returning.
 */
public interface Transport extends Closeable {

    /** Starts the transport's I/O; frames and link events go to {@code sink} from then on. */
    void start(FrameSink sink) throws IOException;

    /** The transport's kind as written in config: "tcp", "udp", "rawip" or "memory". */
    String kind();

    /** Per-frame bytes this transport adds on the wire beyond the frame (outer IP and transport headers). */
    int wireOverhead();

    @Override
    void close() throws IOException;
}
