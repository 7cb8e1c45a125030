package dev.multipath.api;

import dev.multipath.buffer.Packet;

/**
 * Decides which path carries each outgoing packet, and holds packets until a path takes them.
 *
 * <p>Threading: {@link #offer} is called only by the single packet-source reader thread; {@link #poll} by each
 * path's sender thread, concurrently for different paths. Implementations are lock-free and allocate nothing
 * per packet.
 *
 * <p>Ownership: an offered packet belongs to the scheduler until {@link #poll} returns it (then to the caller)
 * or {@link #drainTo} hands it back. If {@link #offer} returns false the caller still owns (and recycles) it.
 */
public interface Scheduler {

    /** Adds a path that may be given packets; called from the control thread before or while running. */
    void addPath(PathView path);

    /** Removes a path; packets queued for it only are re-queued or handed back through {@link #drainTo}. */
    void removePath(PathView path);

    /**
     * Queues a packet for sending.
     *
     * @return false if the packet cannot be queued (queue full, no usable path): the caller drops and counts it
     */
    boolean offer(Packet packet);

    /**
     * Next packet that {@code path} should send now, or null if none. Never blocks. The engine also calls it while
     * the path is unusable, so that a scheduler can move that path's queued packets elsewhere.
     */
    Packet poll(PathView path);

    /** Whether {@link #poll} for {@code path} may return a packet now; used to decide whether to sleep. */
    boolean hasWork(PathView path);

    /** Packets currently queued, across all paths. */
    int queuedPackets();

    /**
     * Where the scheduler hands packets it had accepted but must drop later (for example queued on a path that died
     * and fitting on no other). The engine sets this before starting; the sink counts and recycles them.
     */
    default void setDropSink(java.util.function.Consumer<Packet> sink) {
    }

    /**
     * Tells the scheduler that the receiving portal levels the paths' base delays: its delay equalizer holds a
     * full-size packet that arrives on a shorter path for the difference to the longest path's base one-way delay.
     * A scheduler that predicts arrival times should then not hold a longer path back from full-size packets (they
     * arrive no earlier on the shorter one). The engine calls it before it starts; the default ignores it.
     */
    default void setPeerEqualizes(boolean equalizes) {
    }

    /** Hands every queued packet to {@code sink}, for shutdown. */
    void drainTo(java.util.function.Consumer<Packet> sink);
}
