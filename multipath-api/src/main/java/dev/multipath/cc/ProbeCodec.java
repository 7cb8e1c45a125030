package dev.multipath.cc;

/**
 * Codec of the PROBE and PROBE_REPLY payloads (what follows the 12-byte frame header). Big-endian:
 * <pre>
 *  0      format (= 1)
 *  1..4   probe sequence number (unsigned 32 bits, per path)
 *  5..12  the prober's clock when it sent the probe (nanoseconds, opaque to the peer)
 *  13..   optional padding (for path-MTU probing), any content
 * </pre>
 * A PROBE_REPLY echoes the probe's whole payload, padding included, so only the prober interprets the fields.
 * Decoding never throws: malformed input returns false or -1. Static methods only; nothing is allocated.
 */
final class ProbeCodec {

    static final int FORMAT = 1;
    /** Payload length without padding. */
    static final int LENGTH = 13;

    private ProbeCodec() {
    }

    /** Writes a probe payload; returns {@link #LENGTH}. */
    static int write(byte[] b, int off, long sequence, long sendNanos) {
        b[off] = FORMAT;
        AckCodec.put(b, off + 1, sequence & AckCodec.MASK32, 4);
        AckCodec.put(b, off + 5, sendNanos, 8);
        return LENGTH;
    }

    /** Whether {@code b[off, off+len)} is a well-formed probe or probe-reply payload. */
    static boolean isValid(byte[] b, int off, int len) {
        return b != null && off >= 0 && len >= LENGTH && off <= b.length - len && b[off] == FORMAT;
    }

    /** The sequence number of a valid payload (check {@link #isValid} first). */
    static long sequence(byte[] b, int off) {
        return AckCodec.get(b, off + 1, 4);
    }

    /** The send time of a valid payload (check {@link #isValid} first). */
    static long sendNanos(byte[] b, int off) {
        return AckCodec.get(b, off + 5, 8);
    }

    /**
     * Writes the reply to the probe payload {@code probe[off, off+len)}: the same bytes.
     *
     * @return bytes written, or -1 if the probe is malformed or {@code out} lacks room (nothing written)
     */
    static int writeReply(byte[] probe, int off, int len, byte[] out, int outOff) {
        if (!isValid(probe, off, len) || out == null || outOff < 0 || outOff > out.length - len) {
            return -1;
        }
        System.arraycopy(probe, off, out, outOff, len);
        return len;
    }
}
