package dev.multipath.cc;

import dev.multipath.frame.FrameHeader;

/**
 * Receiver side of one path: records the frames received on the path and writes ACK payloads.
 *
 * <p>Like TCP's delayed ACKs, the cadence depends on frame size. An ACK is due after every
 * {@code ackEveryFrames}-th <em>full</em> frame (at least half of {@code fullFrameBytes}), or when the oldest
 * unacknowledged full frame has waited {@code min(maxAckDelay, rttHint / 4)}. Small frames (in a tunnel they are
 * mostly the inner TCP's own ACKs flowing against the data) are acknowledged only after
 * {@value #SMALL_FRAMES_PER_ACK} of them or after {@code LIGHT_DELAY_FACTOR x maxAckDelay}: acknowledging every
 * second one sent an ACK frame of ~100 bytes on the data direction for every two inner ACKs, 2 % of a 10 Mbit
 * link's bytes (lab: goodput 0.898 of the link sum against a 0.922 ceiling). The sender loses nothing by the
 * wait: the ACK carries its hold time, which the RTT sample excludes.
 *
 * <p>At high frame rates full frames are acknowledged less often (stretch ACKs, as TCP's do behind GRO): a second ACK
 * within {@code min(}{@value #MAX_ACK_GAP_MICROS} us{@code , rttHint / 16)} of the last waits until that gap has passed
 * or the frames it covers fill its list of counters. At 10-100 Mbit/s frames are further apart than that and every
 * second one is acknowledged as before; at 1 Gbit/s (a frame every 12 us) an ACK covers about 16 frames instead of 2.
 * Every ACK is a datagram to send, receive and seal, and at two frames per ACK they were a third of the local
 * portal's CPU in the unshaped lab (profile, 2026-12-05).
 *
 * <p>Each ACK carries the cumulative frame and byte counts and the highest {@code recentCapacity} counters received
 * on the path, so that a few lost ACKs lose no information.
 *
 * <p>Threading: not thread-safe; {@link PathController} guards it with its receiver lock. No allocation after
 * construction.
 */
final class AckGenerator {

    /** Small frames acknowledged at once: with 16 listed counters, two ACKs in a row still cover them all. */
    static final int SMALL_FRAMES_PER_ACK = 8;
    /** How much longer than {@code maxAckDelay} small frames may wait (20 ms with the 5 ms default). */
    static final int LIGHT_DELAY_FACTOR = 4;
    /** The longest gap kept between ACKs at high frame rates (see the class comment). */
    static final long MAX_ACK_GAP_MICROS = 250;

    private final int pathId;
    private final int fullFrameBytes;
    private final int ackEveryFrames;
    private final long maxAckDelayNanos;
    /** The highest counters received, strictly descending; [0] is the highest. */
    private final long[] highest;
    private int highestCount;
    private long highestReceivedAtNanos;
    private long framesReceived;
    private long bytesReceived;
    private int pendingFrames;
    private int pendingFullFrames;
    private long firstPendingAtNanos;
    private long firstFullPendingAtNanos;
    private long rttHintNanos;
    private long lastAckAtNanos = Long.MIN_VALUE / 2;
    private long duplicates;
    private long acksWritten;
    private final AckInfo scratch = new AckInfo();

    /**
     * @param pathId the path this generator acknowledges (0..255)
     * @param recentCapacity how many counters an ACK lists (1..{@link AckInfo#MAX_RECENT} + 1, including the
     *        highest)
     * @param ackEveryFrames an ACK is due after this many new full frames (&gt;= 1)
     * @param maxAckDelayNanos the longest a received full frame waits for its ACK
     * @param fullFrameBytes the path's largest frame; frames of at least half of it count as full
     */
    AckGenerator(int pathId, int recentCapacity, int ackEveryFrames, long maxAckDelayNanos,
            int fullFrameBytes) {
        if (pathId < 0 || pathId > 255 || recentCapacity < 1 || recentCapacity > AckInfo.MAX_RECENT + 1
                || ackEveryFrames < 1 || maxAckDelayNanos <= 0 || fullFrameBytes < 2) {
            throw new IllegalArgumentException("bad ack generator settings");
        }
        this.pathId = pathId;
        this.fullFrameBytes = fullFrameBytes;
        this.highest = new long[recentCapacity];
        this.ackEveryFrames = ackEveryFrames;
        this.maxAckDelayNanos = maxAckDelayNanos;
    }

    /** The smoothed RTT of this path as seen locally, used to delay ACKs by at most a quarter RTT; 0 = unknown. */
    void setRttHint(long rttNanos) {
        this.rttHintNanos = Math.max(0, rttNanos);
    }

    /**
     * Records an authenticated, non-duplicate DATA frame received on this path.
     *
     * @param counter the frame counter extended with its session's epoch in the high 32 bits
     * @param bytes the frame's length as received (header, payload and tag)
     * @return false if the counter is already among the listed ones (a duplicate; not counted)
     */
    boolean onFrameReceived(long counter, int bytes, long nowNanos) {
        if (highestCount > 0) {
            long epoch = counter >>> 32;
            long listedEpoch = highest[0] >>> 32;
            if (epoch > listedEpoch) {
                // A new session: its counters start from 0 and the sender has forgotten the old ones, so list
                // only the new session's from now on (an ACK carries 32-bit counters of one session).
                highestCount = 0;
            } else if (epoch < listedEpoch) {
                return true; // a straggler of the old session: the sender no longer tracks it
            }
        }
        int pos = 0;
        while (pos < highestCount && highest[pos] > counter) {
            pos++;
        }
        if (pos < highestCount && highest[pos] == counter) {
            duplicates++;
            return false;
        }
        if (pos < highest.length) {
            int move = Math.min(highestCount, highest.length - 1) - pos;
            System.arraycopy(highest, pos, highest, pos + 1, move);
            highest[pos] = counter;
            if (highestCount < highest.length) {
                highestCount++;
            }
            if (pos == 0) {
                highestReceivedAtNanos = nowNanos;
            }
        }
        framesReceived++;
        bytesReceived += bytes;
        if (pendingFrames == 0) {
            firstPendingAtNanos = nowNanos;
        }
        pendingFrames++;
        if (2 * bytes >= fullFrameBytes) {
            if (pendingFullFrames == 0) {
                firstFullPendingAtNanos = nowNanos;
            }
            pendingFullFrames++;
        }
        return true;
    }

    /** Whether an ACK should be written now. */
    boolean ackDue(long nowNanos) {
        if (pendingFullFrames >= ackEveryFrames) {
            return pendingFullFrames >= highest.length || nowNanos - lastAckAtNanos >= ackGapNanos();
        }
        return pendingFrames >= SMALL_FRAMES_PER_ACK || (pendingFrames > 0 && nowNanos >= nextAckTime());
    }

    /** The least time between two ACKs of full frames (0 until the RTT is known). */
    private long ackGapNanos() {
        return Math.min(MAX_ACK_GAP_MICROS * 1000, rttHintNanos / 16);
    }

    /** When the pending frames' ACK falls due by delay, or {@link Long#MAX_VALUE} if nothing is pending. */
    long nextAckTime() {
        if (pendingFrames == 0) {
            return Long.MAX_VALUE;
        }
        long lightDue = firstPendingAtNanos + LIGHT_DELAY_FACTOR * maxAckDelayNanos;
        if (pendingFullFrames == 0) {
            return lightDue;
        }
        long delay = rttHintNanos > 0 ? Math.min(maxAckDelayNanos, rttHintNanos / 4) : maxAckDelayNanos;
        long due = Math.min(lightDue, firstFullPendingAtNanos + delay);
        if (pendingFullFrames >= ackEveryFrames) {
            due = Math.min(due, lastAckAtNanos + ackGapNanos());
        }
        return due;
    }

    /**
     * Writes an ACK payload at {@code off} (room: {@link AckCodec#MAX_LENGTH}) and clears the pending count.
     *
     * @return bytes written, 0 if nothing was ever received on this path
     */
    int writeAck(byte[] b, int off, long nowNanos) {
        if (highestCount == 0) {
            return 0;
        }
        AckInfo a = scratch;
        a.pathId = pathId;
        a.highestCounter = highest[0] & FrameHeader.MAX_COUNTER;
        a.framesReceived = framesReceived;
        a.bytesReceived = bytesReceived;
        a.holdMicros = Math.max(0, nowNanos - highestReceivedAtNanos) / 1000;
        a.recentCount = highestCount - 1;
        for (int i = 0; i < a.recentCount; i++) {
            a.recent[i] = highest[i + 1] & FrameHeader.MAX_COUNTER;
        }
        pendingFrames = 0;
        pendingFullFrames = 0;
        lastAckAtNanos = nowNanos;
        acksWritten++;
        return AckCodec.encode(a, b, off);
    }

    long framesReceived() {
        return framesReceived;
    }

    long bytesReceived() {
        return bytesReceived;
    }

    long duplicates() {
        return duplicates;
    }

    long acksWritten() {
        return acksWritten;
    }
}
