package dev.multipath.engine;

import dev.multipath.buffer.Packet;
import java.util.function.LongPredicate;

/**
 * Copies of the last data packets one path sent, so that when the path turns silent (its ACKs stopped: a black
 * hole, or a link that went down without saying so) the ones it has not seen acknowledged can go again on the paths
 * that are heard, before the inner TCP notices them missing. MPTCP calls this reinjection.
 *
 * <p>Why: measured in the lab's {@code blackhole} scenario (2 x 10 Mbit, near-zero RTT), the frames in flight on the
 * cut path when it went silent (a window, 20-30 frames) were lost, every other segment of the inner TCP's window; it
 * recovered them by fast retransmit in most runs, but in some it waited for its retransmission timer and the 0.5 s
 * interval after the cut fell below half the surviving link's rate.
 *
 * <p>The copy is taken before the packet is sealed (sealing encrypts in place) and committed with the frame counter
 * sealing gave it. The newest {@link #KEPT} committed packets are kept (the ring's one other slot takes the packet
 * being staged): at 10-100 Mbit/s with tens of ms of RTT that is a whole window; on faster paths only the newest part
 * of it is rescued. Buffers are allocated on first use, so a portal with one path never pays for them (the engine
 * stages packets only while another path is usable).
 *
 * <p>Threading: the path's sender only (staging, committing and rescuing all happen there). No allocation per
 * packet after the first use.
 */
final class RescueRing {

    /** Packets kept per path: 256 x 1.5 KB = 384 KB. */
    static final int CAPACITY = 256;
    /**
     * A packet whose flow has since moved on by more than this many numbers is not rescued: half the receiver's
     * duplicate window ({@link dev.multipath.reorder.FlowReorderBuffer#DUPLICATE_WINDOW}), so that a copy of a packet
     * that did arrive (only its ACK was lost) is still recognised as a second copy when it comes, even if packets sent
     * after it overtake it. A packet that old is also more than a window behind in the inner TCP, which has
     * retransmitted it or will.
     */
    static final int MAX_FLOW_LAG = dev.multipath.reorder.FlowReorderBuffer.DUPLICATE_WINDOW / 2;
    /** Committed packets kept: all slots but the staging one. */
    static final int KEPT = CAPACITY - 1;
    private static final int MASK = CAPACITY - 1;
    private static final long EMPTY = -1;

    private final int maxPayload;
    private byte[][] data;
    private final int[] length = new int[CAPACITY];
    private final int[] flowSequence = new int[CAPACITY];
    private final int[] flowBucket = new int[CAPACITY];
    private final long[] counter = new long[CAPACITY];
    /** Slot sequence of the next packet staged. */
    private long next;
    private boolean staged;

    RescueRing(int maxPayload) {
        this.maxPayload = maxPayload;
        java.util.Arrays.fill(counter, EMPTY);
    }

    /** Copies the inner packet of {@code p} (about to be sealed) into the next slot. */
    void stage(Packet p) {
        if (data == null) {
            data = new byte[CAPACITY][maxPayload];
        }
        int len = p.length();
        if (len > maxPayload) {
            staged = false;
            return;
        }
        int i = (int) (next & MASK);
        System.arraycopy(p.data(), Packet.PAYLOAD_OFFSET, data[i], 0, len);
        length[i] = len;
        flowSequence[i] = p.flowSequence();
        flowBucket[i] = p.flowBucket();
        counter[i] = EMPTY;
        staged = true;
    }

    /** The staged packet went out as the frame with {@code frameCounter}. */
    void commit(long frameCounter) {
        if (!staged) {
            return;
        }
        staged = false;
        counter[(int) (next & MASK)] = frameCounter;
        next++;
    }

    /** The staged packet was not sent: its slot is free again. */
    void abandon() {
        staged = false;
    }

    /**
     * Hands a copy of every kept packet whose frame is still unacknowledged to {@code sink}, oldest first, and
     * forgets them (a second silence does not send them a third time).
     *
     * @param inFlight whether the frame with a given counter is still unacknowledged on the path
     * @param flowLag how many numbers a (flow bucket, flow sequence)'s flow has given out since; copies lagging more
     *                than {@link #MAX_FLOW_LAG} are not rescued
     * @param pool where the copies come from; stops early when it is empty
     * @param nowNanos the copies' queue time (CoDel measures their wait from now, not from the first try)
     * @param sink takes each copy; returns false if it could not (the copy is then released here)
     * @return the number of copies {@code sink} took
     */
    int rescue(LongPredicate inFlight, java.util.function.IntBinaryOperator flowLag, PacketPool pool, long nowNanos, java.util.function.Predicate<Packet> sink) {
        if (data == null) {
            return 0;
        }
        int taken = 0;
        for (long seq = Math.max(0, next - KEPT); seq < next; seq++) {
            int i = (int) (seq & MASK);
            long c = counter[i];
            if (c == EMPTY || !inFlight.test(c)) {
                continue;
            }
            if (flowBucket[i] >= 0 && flowLag.applyAsInt(flowBucket[i], flowSequence[i]) > MAX_FLOW_LAG) {
                counter[i] = EMPTY;
                continue;
            }
            Packet copy = pool.acquire();
            if (copy == null) {
                break;
            }
            counter[i] = EMPTY;
            System.arraycopy(data[i], 0, copy.data(), Packet.PAYLOAD_OFFSET, length[i]);
            copy.setLength(length[i]);
            copy.setFlowSequence(flowSequence[i]);
            copy.setFlowBucket(flowBucket[i]);
            copy.setTimeNanos(nowNanos);
            if (sink.test(copy)) {
                taken++;
            } else {
                pool.release(copy);
            }
        }
        return taken;
    }
}
