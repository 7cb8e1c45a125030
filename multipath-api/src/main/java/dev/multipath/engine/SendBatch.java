package dev.multipath.engine;

import dev.multipath.buffer.Packet;
import java.nio.ByteBuffer;

/**
 * The data frames one path's sender hands to its link in one {@code sendBatch}: the packets, their frame views and
 * lengths. Owned by the sender thread, reused for every batch (no allocation per frame).
 */
final class SendBatch {

    /** At most this many frames per batch: 1 ms of a 500 Mbit/s path, and under the kernel's 64 segments. */
    static final int CAPACITY = 32;

    private final Packet[] packets = new Packet[CAPACITY];
    private final ByteBuffer[] frames = new ByteBuffer[CAPACITY];
    private final int[] lengths = new int[CAPACITY];
    private int size;

    void add(Packet p, int frameLength) {
        packets[size] = p;
        frames[size] = p.frame(frameLength);
        lengths[size] = frameLength;
        size++;
    }

    boolean full() {
        return size == CAPACITY;
    }

    int size() {
        return size;
    }

    ByteBuffer[] frames() {
        return frames;
    }

    /** Bytes of the first {@code count} frames. */
    long bytes(int count) {
        long b = 0;
        for (int i = 0; i < count; i++) {
            b += lengths[i];
        }
        return b;
    }

    /** Returns every packet to the pool and empties the batch. */
    void releaseAll(PacketPool pool) {
        for (int i = 0; i < size; i++) {
            pool.release(packets[i]);
            packets[i] = null;
            frames[i] = null;
        }
        size = 0;
    }
}
