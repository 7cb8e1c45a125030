package dev.multipath.buffer;

import dev.multipath.frame.FrameHeader;
import java.nio.ByteBuffer;

/**
 * A recyclable buffer holding one IP packet, with room before it for the frame header and after it for the
 * authentication tag, so that a packet read from the TUN is framed and sealed in place, without copying.
 *
 * <pre>
 * data: [ header (FrameHeader.LENGTH) | payload (length bytes) | tag | spare ]
 * </pre>
 *
 * A packet has exactly one owner at a time (the thread holding it); ownership moves with the reference through
 * queues. Packets come from and return to the portal's fixed pool.
 */
public final class Packet {

    /** Offset of the payload in {@link #data()}: room for the frame header. */
    public static final int PAYLOAD_OFFSET = FrameHeader.LENGTH;
    /** Room kept after the payload for an authentication tag. */
    static final int TAIL_ROOM = 32;

    private final byte[] data;
    private final ByteBuffer buffer;
    private int length;
    private long timeNanos;
    private int pathId = -1;
    private int frameLength;
    private int flowSequence;
    private int flowBucket = -1;

    public Packet(int maxPayload) {
        this.data = new byte[PAYLOAD_OFFSET + maxPayload + TAIL_ROOM];
        this.buffer = ByteBuffer.wrap(data);
    }

    /** The backing array: header at 0, payload at {@link #PAYLOAD_OFFSET}. */
    public byte[] data() {
        return data;
    }

    /** Largest payload this packet holds. */
    int maxPayload() {
        return data.length - PAYLOAD_OFFSET - TAIL_ROOM;
    }

    /** Payload length in bytes. */
    public int length() {
        return length;
    }

    public void setLength(int length) {
        if (length < 0 || length > maxPayload()) {
            throw new IllegalArgumentException("payload length " + length + " outside 0.." + maxPayload());
        }
        this.length = length;
    }

    /** A buffer positioned on the payload area, limit at its capacity: for reading a packet into. */
    public ByteBuffer payloadForRead() {
        buffer.limit(PAYLOAD_OFFSET + maxPayload()).position(PAYLOAD_OFFSET);
        return buffer;
    }

    /** A buffer with position and limit around the payload: for writing the packet out. */
    public ByteBuffer payloadForWrite() {
        buffer.limit(PAYLOAD_OFFSET + length).position(PAYLOAD_OFFSET);
        return buffer;
    }

    /** A buffer with position 0 and limit {@code frameLength}: the whole frame, for sending. */
    public ByteBuffer frame(int frameLength) {
        buffer.limit(frameLength).position(0);
        return buffer;
    }

    /** Time stamp set by the stage that last queued the packet (for sojourn time), in nanoseconds. */
    public long timeNanos() {
        return timeNanos;
    }

    public void setTimeNanos(long timeNanos) {
        this.timeNanos = timeNanos;
    }

    /** Path the packet arrived on or is assigned to, or -1. */
    public int pathId() {
        return pathId;
    }

    public void setPathId(int pathId) {
        this.pathId = pathId;
    }

    /** Length of the whole frame (header, payload, tag) when the packet holds a frame, from offset 0. */
    public int frameLength() {
        return frameLength;
    }

    public void setFrameLength(int frameLength) {
        if (frameLength < 0 || frameLength > data.length) {
            throw new IllegalArgumentException("frame length " + frameLength + " outside 0.." + data.length);
        }
        this.frameLength = frameLength;
    }

    /** Per-flow sequence number (0..65535) given by the reader, carried in the DATA frame header. */
    public int flowSequence() {
        return flowSequence;
    }

    public void setFlowSequence(int flowSequence) {
        this.flowSequence = flowSequence;
    }

    /** Flow bucket ({@code FlowKey.bucket}) the reader numbered the packet in, or -1. */
    public int flowBucket() {
        return flowBucket;
    }

    public void setFlowBucket(int flowBucket) {
        this.flowBucket = flowBucket;
    }

    /** Clears the length and the engine's per-packet fields; the pool calls it when the packet comes back. */
    public void reset() {
        flowSequence = 0;
        flowBucket = -1;
        length = 0;
        frameLength = 0;
        timeNanos = 0;
        pathId = -1;
    }
}
