package dev.multipath.frame;

/**
 * The 12-byte header of every protocol version 1 frame, read and written in place in a byte array.
 * Layout (big-endian; see docs/protocol.md):
 * <pre>
 *  0      : version (2 bits, = 1) | type (5 bits) | key phase (1 bit)
 *  1      : path id
 *  2..3   : receiver index (the receiver's session; 0 before a handshake)
 *  4..7   : counter (32 bits; per session and direction; the AEAD nonce)
 *  8..9   : flow sequence (DATA: per-flow packet number modulo 65536, for the receiver's per-flow reordering)
 *  10..11 : timestamp, sender's clock in milliseconds modulo 65536
 * </pre>
 * The payload follows, then the authenticator's tag. Static methods only: nothing is allocated.
 */
public final class FrameHeader {

    /** Header length in bytes. */
    public static final int LENGTH = 12;
    /** The protocol version carried in the top two bits of byte 0. */
    public static final int VERSION = 1;
    /** Largest counter value (32 bits; sessions rekey long before, at 2^30 frames). */
    public static final long MAX_COUNTER = (1L << 32) - 1;

    private FrameHeader() {
    }

    /** Writes a whole header at {@code off}. */
    public static void write(byte[] b, int off, FrameType type, int keyPhase, int pathId, int receiverIndex,
            long counter, int timestampMillis) {
        b[off] = (byte) ((VERSION << 6) | (type.code() << 1) | (keyPhase & 1));
        b[off + 1] = (byte) pathId;
        b[off + 2] = (byte) (receiverIndex >>> 8);
        b[off + 3] = (byte) receiverIndex;
        setCounter(b, off, counter);
        b[off + 8] = 0;
        b[off + 9] = 0;
        b[off + 10] = (byte) (timestampMillis >>> 8);
        b[off + 11] = (byte) timestampMillis;
    }

    /** Version field of the frame at {@code off}. */
    public static int version(byte[] b, int off) {
        return (b[off] >> 6) & 0x3;
    }

    /** Type code (5 bits); map with {@link FrameType#ofCode}. */
    static int typeCode(byte[] b, int off) {
        return (b[off] >> 1) & 0x1f;
    }

    public static int keyPhase(byte[] b, int off) {
        return b[off] & 1;
    }

    public static void setKeyPhase(byte[] b, int off, int keyPhase) {
        b[off] = (byte) ((b[off] & 0xfe) | (keyPhase & 1));
    }

    public static int pathId(byte[] b, int off) {
        return b[off + 1] & 0xff;
    }

    public static int receiverIndex(byte[] b, int off) {
        return ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    public static void setReceiverIndex(byte[] b, int off, int index) {
        b[off + 2] = (byte) (index >>> 8);
        b[off + 3] = (byte) index;
    }

    public static long counter(byte[] b, int off) {
        long c = 0;
        for (int i = 4; i < 8; i++) {
            c = (c << 8) | (b[off + i] & 0xff);
        }
        return c;
    }

    public static void setCounter(byte[] b, int off, long counter) {
        for (int i = 7; i >= 4; i--) {
            b[off + i] = (byte) counter;
            counter >>>= 8;
        }
    }

    /** Per-flow sequence number (0..65535) of a DATA frame. */
    public static int flowSequence(byte[] b, int off) {
        return ((b[off + 8] & 0xff) << 8) | (b[off + 9] & 0xff);
    }

    public static void setFlowSequence(byte[] b, int off, int sequence) {
        b[off + 8] = (byte) (sequence >>> 8);
        b[off + 9] = (byte) sequence;
    }

    public static int timestamp(byte[] b, int off) {
        return ((b[off + 10] & 0xff) << 8) | (b[off + 11] & 0xff);
    }

    /**
     * Checks the parts of a header that need no key: length and version, and a known type.
     *
     * @return the frame type, or null if the header is malformed
     */
    public static FrameType validate(byte[] b, int off, int len) {
        if (len < LENGTH || version(b, off) != VERSION) {
            return null;
        }
        return FrameType.ofCode(typeCode(b, off));
    }
}
