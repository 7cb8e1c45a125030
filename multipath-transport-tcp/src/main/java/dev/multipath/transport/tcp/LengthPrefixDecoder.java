package dev.multipath.transport.tcp;

import java.nio.ByteBuffer;

/**
 * Splits a TCP byte stream into frames, each preceded by its length as 2 bytes big-endian (1..65535).
 *
 * <p>Usage: read from the socket into {@link #readSpace()}, then call {@link #drain}. The decoder owns one
 * buffer for its whole life and hands every frame out through one reused view, so decoding allocates nothing.
 *
 * <p>Threading: not thread-safe; one receive thread owns a decoder.
 */
final class LengthPrefixDecoder {

    /** Bytes of the length prefix. */
    static final int PREFIX = 2;
    /** Largest frame a 2-byte prefix can announce. */
    static final int MAX_FRAME = 0xFFFF;

    /** Receives decoded frames; the view is valid only during the call. */
    @FunctionalInterface
    interface Handler {
        void onFrame(ByteBuffer frame);
    }

    private final ByteBuffer buf;
    /** The view given to the handler: a duplicate made once, re-pointed per frame. */
    private final ByteBuffer view;
    /** Start of the first byte not yet decoded; buf.position() is the end of the bytes read so far. */
    private int readPos;

    /** @param capacity buffer size; at least one maximal frame with its prefix, so any frame fits after compaction */
    LengthPrefixDecoder(int capacity) {
        if (capacity < MAX_FRAME + PREFIX) {
            throw new IllegalArgumentException("decoder capacity " + capacity + " < " + (MAX_FRAME + PREFIX));
        }
        buf = ByteBuffer.allocate(capacity);
        view = buf.duplicate();
    }

    /**
     * The buffer to read socket bytes into (position = where new bytes go, limit = capacity). Always has room
     * after {@link #drain}, because drain moves the undecoded tail to the front.
     */
    ByteBuffer readSpace() {
        return buf;
    }

    /**
     * Hands every complete frame in the buffer to {@code handler}, in order, then compacts.
     *
     * @return false if the stream announced an invalid length (0): the stream cannot be resynchronised and the
     *     connection must be dropped; true otherwise
     */
    boolean drain(Handler handler) {
        int end = buf.position();
        while (end - readPos >= PREFIX) {
            int len = ((buf.get(readPos) & 0xFF) << 8) | (buf.get(readPos + 1) & 0xFF);
            if (len == 0) {
                return false;
            }
            int start = readPos + PREFIX;
            if (end - start < len) {
                break;
            }
            view.clear();
            view.limit(start + len).position(start);
            handler.onFrame(view);
            readPos = start + len;
        }
        compact(end);
        return true;
    }

    /** Forgets any buffered bytes, for reuse on a new connection. */
    void reset() {
        readPos = 0;
        buf.clear();
    }

    /** Bytes received but not yet part of a complete frame (for tests and diagnostics). */
    int pending() {
        return buf.position() - readPos;
    }

    // Why always compact: the tail is at most one partial frame, so the copy is bounded and the buffer never
    // runs out of room for the rest of a maximal frame.
    private void compact(int end) {
        int tail = end - readPos;
        if (readPos > 0 && tail > 0) {
            System.arraycopy(buf.array(), buf.arrayOffset() + readPos, buf.array(), buf.arrayOffset(), tail);
        }
        readPos = 0;
        buf.limit(buf.capacity()).position(tail);
    }
}
