package dev.multipath.sim;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import dev.multipath.api.Transport;
import java.nio.ByteBuffer;

/**
 * A {@link Transport} pair joined in memory, for running two real threaded portals in one JVM without sockets:
 * {@link #pair(String)} returns a connecting (local) and a listening (remote) end with one link between them. A link can be
 * failed and restored ({@link #setUp}), which both ends see as link down/up, like a reset TCP connection.
 * Frames are handed over synchronously on the sender's thread.
 */
public final class MemoryTransport implements Transport {

    private final String label;
    private MemoryTransport peer;
    private FrameSink sink;
    private final End end = new End();
    private volatile boolean up = true;
    private volatile boolean closed;
    private volatile boolean failSends;
    private volatile boolean datagram;
    private final java.util.concurrent.atomic.AtomicInteger largestBatch = new java.util.concurrent.atomic.AtomicInteger();

    private MemoryTransport(String label) {
        this.label = label;
    }

    /** A connected pair: element 0 for the local portal, element 1 for the remote portal. */
    public static MemoryTransport[] pair(String name) {
        MemoryTransport a = new MemoryTransport(name + "/local");
        MemoryTransport b = new MemoryTransport(name + "/remote");
        a.peer = b;
        b.peer = a;
        return new MemoryTransport[] {a, b};
    }

    /** Fails ({@code false}) or restores ({@code true}) the link, telling both ends. */
    public void setUp(boolean isUp) {
        up = isUp;
        peer.up = isUp;
        for (MemoryTransport t : new MemoryTransport[] {this, peer}) {
            FrameSink s = t.sink;
            if (s != null) {
                if (isUp) {
                    s.onLinkUp(t.end);
                } else {
                    s.onLinkDown(t.end);
                }
            }
        }
    }

    /**
     * Makes this end's sends fail ({@code true}) while it still reports itself up, as a socket does in the moment
     * between its interface going down and anybody noticing; {@code false} restores it.
     */
    public void failSends(boolean fail) {
        failSends = fail;
    }

    /**
     * Makes this end a datagram link ({@link Link#isReliable()} false), so that the engine paces and batches onto it
     * with its own congestion control, as over UDP; still lossless and in order. Call before {@link #start}.
     */
    public MemoryTransport datagram() {
        datagram = true;
        return this;
    }

    /** The most frames one {@link Link#sendBatch} call carried on this end. */
    public int largestBatch() {
        return largestBatch.get();
    }

    @Override
    public void start(FrameSink sink) {
        this.sink = sink;
        if (up && label.endsWith("/local")) {
            sink.onLinkUp(end);
        }
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public int wireOverhead() {
        return 0;
    }

    @Override
    public void close() {
        closed = true;
    }

    private final class End implements Link {
        @Override
        public boolean send(ByteBuffer frame) {
            FrameSink s = peer.sink;
            if (!isUp() || failSends || s == null || peer.closed) {
                return false;
            }
            synchronized (peer) {
                s.onFrame(peer.end, frame.slice());
            }
            frame.position(frame.limit());
            return true;
        }

        @Override
        public boolean isUp() {
            return up && !closed;
        }

        @Override
        public int sendBatch(ByteBuffer[] frames, int count) throws java.io.IOException {
            largestBatch.accumulateAndGet(count, Math::max);
            return Link.super.sendBatch(frames, count);
        }

        /** Synchronous, lossless and in order: nothing for congestion control to do, unless made a datagram link. */
        @Override
        public boolean isReliable() {
            return !datagram;
        }

        @Override
        public int maxFrameSize() {
            return 65535;
        }

        @Override
        public String remoteDescription() {
            return "memory:" + peer.label;
        }
    }
}
