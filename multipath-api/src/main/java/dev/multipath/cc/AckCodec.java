package dev.multipath.cc;

import dev.multipath.frame.FrameHeader;

/**
 * Codec of the ACK frame payload (what follows the 12-byte header of an ACK frame). Big-endian:
 * <pre>
 *  0       format (= 1)
 *  1       acknowledged path id
 *  2..7    highest counter received on that path (48 bits)
 *  8..11   frames received on that path, cumulative, modulo 2^32
 *  12..17  bytes received on that path (sum of frame lengths), cumulative, modulo 2^48
 *  18..20  hold time of the highest frame in microseconds (24 bits, saturating at ~16.7 s)
 *  21      n: number of further counters listed (0..32)
 *  22..    n unsigned LEB128 varints: gaps going down from the highest counter, each &gt;= 1, so the listed
 *          counters are strictly descending (the receiver lists the highest counters it got on the path)
 * </pre>
 * Typical size: 22 + 2n bytes (gaps are small because paths interleave counters). Decoding never throws:
 * malformed input returns false. Static methods only; nothing is allocated.
 */
public final class AckCodec {

    /** Payload format written in byte 0. */
    static final int FORMAT = 1;
    /** Length of an ACK payload without listed counters. */
    static final int MIN_LENGTH = 22;
    /** Longest varint of a 48-bit gap. */
    private static final int MAX_VARINT = 7;
    /** Longest possible ACK payload. */
    public static final int MAX_LENGTH = MIN_LENGTH + AckInfo.MAX_RECENT * MAX_VARINT;
    static final long MASK32 = 0xffff_ffffL;
    static final long MASK48 = (1L << 48) - 1;
    private static final long MAX_HOLD = (1L << 24) - 1;

    private AckCodec() {
    }

    /**
     * Writes {@code ack} at {@code off}; {@code b} needs {@link #encodedLength} bytes of room.
     *
     * @return bytes written
     * @throws IllegalArgumentException if {@code ack} is not encodable (our own bug, never peer input)
     */
    static int encode(AckInfo ack, byte[] b, int off) {
        if (ack.recentCount < 0 || ack.recentCount > AckInfo.MAX_RECENT || ack.highestCounter < 0
                || ack.highestCounter > FrameHeader.MAX_COUNTER || ack.pathId < 0 || ack.pathId > 255) {
            throw new IllegalArgumentException("unencodable " + ack);
        }
        int p = off;
        b[p++] = FORMAT;
        b[p++] = (byte) ack.pathId;
        p = put(b, p, ack.highestCounter, 6);
        p = put(b, p, ack.framesReceived & MASK32, 4);
        p = put(b, p, ack.bytesReceived & MASK48, 6);
        p = put(b, p, Math.min(Math.max(ack.holdMicros, 0), MAX_HOLD), 3);
        b[p++] = (byte) ack.recentCount;
        long prev = ack.highestCounter;
        for (int i = 0; i < ack.recentCount; i++) {
            long gap = prev - ack.recent[i];
            if (gap < 1 || ack.recent[i] < 0) {
                throw new IllegalArgumentException("recent counters not strictly descending below highest: " + ack);
            }
            while (gap >= 0x80) {
                b[p++] = (byte) ((gap & 0x7f) | 0x80);
                gap >>>= 7;
            }
            b[p++] = (byte) gap;
            prev = ack.recent[i];
        }
        return p - off;
    }

    /** Bytes {@link #encode} will write for {@code ack}. */
    static int encodedLength(AckInfo ack) {
        int n = MIN_LENGTH;
        long prev = ack.highestCounter;
        for (int i = 0; i < ack.recentCount; i++) {
            long gap = prev - ack.recent[i];
            n += varintLength(gap);
            prev = ack.recent[i];
        }
        return n;
    }

    /**
     * Decodes the payload {@code b[off, off+len)} into {@code out}.
     *
     * @return true if it is a well-formed ACK payload (exact length, known format, valid gaps); on false the
     *         contents of {@code out} are unspecified
     */
    static boolean decode(byte[] b, int off, int len, AckInfo out) {
        if (b == null || off < 0 || len < MIN_LENGTH || off > b.length - len || b[off] != FORMAT) {
            return false;
        }
        int p = off + 1;
        out.pathId = b[p++] & 0xff;
        out.highestCounter = get(b, p, 6);
        p += 6;
        out.framesReceived = get(b, p, 4);
        p += 4;
        out.bytesReceived = get(b, p, 6);
        p += 6;
        out.holdMicros = get(b, p, 3);
        p += 3;
        int n = b[p++] & 0xff;
        if (n > AckInfo.MAX_RECENT) {
            return false;
        }
        int end = off + len;
        long prev = out.highestCounter;
        for (int i = 0; i < n; i++) {
            long gap = 0;
            int shift = 0;
            while (true) {
                if (p >= end || shift >= 7 * MAX_VARINT) {
                    return false;
                }
                int v = b[p++];
                gap |= (long) (v & 0x7f) << shift;
                shift += 7;
                if ((v & 0x80) == 0) {
                    break;
                }
            }
            if (gap < 1 || gap > prev) {
                return false;
            }
            prev -= gap;
            out.recent[i] = prev;
        }
        out.recentCount = n;
        return p == end;
    }

    private static int varintLength(long v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int put(byte[] b, int p, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            b[p + i] = (byte) v;
            v >>>= 8;
        }
        return p + bytes;
    }

    static long get(byte[] b, int p, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[p + i] & 0xff);
        }
        return v;
    }
}
