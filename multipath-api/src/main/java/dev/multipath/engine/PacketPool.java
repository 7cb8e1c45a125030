package dev.multipath.engine;

import dev.multipath.buffer.Packet;
import java.util.concurrent.atomic.AtomicLong;
import org.jctools.queues.varhandle.MpmcVarHandleArrayQueue;

/**
 * A fixed set of {@link Packet}s, allocated once and recycled, so the data path allocates nothing per packet.
 * Any thread may acquire and release. When every packet is in use, {@link #acquire} returns null and the caller
 * drops what it was about to store (counted as exhaustion here).
 */
public final class PacketPool {

    private final MpmcVarHandleArrayQueue<Packet> free;
    private final int capacity;
    private final int maxPayload;
    private final AtomicLong exhausted = new AtomicLong();

    public PacketPool(int capacity, int maxPayload) {
        if (capacity < 2) {
            throw new IllegalArgumentException("pool capacity must be at least 2, was " + capacity);
        }
        this.capacity = capacity;
        this.maxPayload = maxPayload;
        this.free = new MpmcVarHandleArrayQueue<>(capacity);
        for (int i = 0; i < capacity; i++) {
            free.offer(new Packet(maxPayload));
        }
    }

    /** A free packet with length 0, or null if all are in use. */
    public Packet acquire() {
        Packet p = free.poll();
        if (p == null) {
            exhausted.incrementAndGet();
        }
        return p;
    }

    /** Returns a packet to the pool; the caller must not touch it afterwards. Null is ignored. */
    public void release(Packet p) {
        if (p == null) {
            return;
        }
        p.reset();
        free.offer(p);
    }

    int capacity() {
        return capacity;
    }

    int maxPayload() {
        return maxPayload;
    }

    /** Packets currently available. */
    int available() {
        return free.size();
    }

    /** How many times {@link #acquire} found the pool empty. */
    long exhaustedCount() {
        return exhausted.get();
    }
}
