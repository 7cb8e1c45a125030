package dev.multipath.reorder;

import dev.multipath.buffer.Packet;
import dev.multipath.frame.FlowKey;
import java.util.function.Consumer;

/**
 * Restores each flow's order at the receiver, with a bounded wait, without one flow ever waiting for another.
 *
 * <p>The sending portal numbers the packets of each flow bucket (see {@link FlowKey}) in the order its packet source
 * gave them (16 bits, carried in the DATA frame header). Here a packet is released as soon as its predecessor in the
 * same bucket was released; otherwise it waits until one of: the predecessor arrives; every live path has delivered a
 * frame with a higher counter than this packet's (paths deliver in order, so the predecessor, sent earlier, was lost:
 * {@link #settleBelow}); or it has waited {@code maxHoldNanos} ({@link #expire}). A packet whose turn has passed is
 * delivered at once (late), and a second copy of a packet (redundant mode, or a retransmission by the network) is
 * dropped, remembered over the last {@value #DUPLICATE_WINDOW} numbers of its bucket. The window is that wide for the
 * sender's rescue copies (a path that fell silent has its unacknowledged packets sent again on other paths, some of
 * which did arrive, only their ACKs were lost): a CI run on a loaded machine delivered such copies twice when they came
 * more than 64 numbers late, the old window.
 *
 * <p>The bound adapts to the reordering seen (as RACK's reordering window, RFC 8985 section 6.2): when a packet arrives
 * after its gap was given up by timeout, the wait it would have needed (its lateness plus the bound) is measured, and
 * until {@value #EXTRA_DECAY_MILLIS} ms pass without another such arrival the buffer waits that long, at most twice the
 * configured bound. The configured bound comes from the paths' smoothed RTTs, which show only half of a one-way
 * queue and lag behind bursts: measured on 6/8 + 18/25 + 30/60 ms links, a 56 ms bound released 195 gaps whose
 * packets then arrived (715 late arrivals in a 20 s flow, each a spurious loss signal to the inner TCP).
 *
 * <p>Sans-IO and single-threaded: the packet-source writer owns it. Nothing is allocated per packet: held packets
 * live in fixed arrays indexed through an open-addressing table keyed by (bucket, sequence).
 */
public final class FlowReorderBuffer {

    private static final int BUCKETS = FlowKey.BUCKETS;
    private static final int EMPTY = -1;
    /** Flow sequence numbers are 16 bits; a number less than half the space ahead is ahead, else behind. */
    private static final int SEQ_MASK = 0xffff;
    private static final int HALF = 0x8000;

    private final int capacity;
    private final int[] expected = new int[BUCKETS];
    /** Second copies are recognised this many numbers back in their bucket. */
    public static final int DUPLICATE_WINDOW = 512;
    private static final int WORDS_PER_BUCKET = DUPLICATE_WINDOW / 64;
    /**
     * Per bucket a ring of {@link #DUPLICATE_WINDOW} bits indexed by sequence number: the bit of number s is written
     * when the bucket's expected number moves past s (set if s was delivered, clear if its gap was given up), so it is
     * valid for the numbers within the window behind the expected one. 256 KB in all.
     */
    private final long[] delivered = new long[BUCKETS * WORDS_PER_BUCKET];
    private final int[] heldInBucket = new int[BUCKETS];

    // Held entries.
    private final Packet[] packet;
    private final int[] key;
    private final long[] counter;
    private final long[] arrived;
    private final int[] freeList;
    private int freeTop;
    private int held;

    // (bucket << 16 | seq) -> entry, linear probing, 2x capacity.
    private final int[] index;
    private final int indexMask;

    // Entries in arrival order (lazy: entries may have left already, checked by key and arrival time).
    private final int[] fifo;
    private final long[] fifoTime;
    private final int fifoMask;
    private long fifoHead;
    private long fifoTail;

    private long maxHoldNanos;
    /** Added to {@link #maxHoldNanos} after late arrivals (see the class comment). */
    private long extraHoldNanos;
    private long lastLateNanos;
    /** The latest time seen by {@link #offer} or {@link #expire}. */
    private long clock;
    /** When each bucket last gave up a gap by timeout; Long.MIN_VALUE if not recently. */
    private final long[] gaveUpAt = new long[BUCKETS];
    static final long EXTRA_DECAY_MILLIS = 10_000;
    private static final long EXTRA_DECAY_NANOS = EXTRA_DECAY_MILLIS * 1_000_000L;
    /** Added to a measured lateness: the next late packet is rarely exactly as late. */
    private static final long LATE_MARGIN_NANOS = 2_000_000L;

    private long releasedInOrder;
    private long releasedByTimeout;
    private long releasedBySettle;
    private long late;
    private long duplicates;
    private long heldTotal;

    /**
     * @param capacity     packets the buffer holds at most (rounded up to a power of two); beyond it the packet
     *                     waiting longest is released early
     * @param maxHoldNanos longest wait of a packet for its predecessor
     */
    public FlowReorderBuffer(int capacity, long maxHoldNanos) {
        int c = Integer.highestOneBit(Math.max(4, capacity - 1)) << 1;
        this.capacity = c;
        this.packet = new Packet[c];
        this.key = new int[c];
        this.counter = new long[c];
        this.arrived = new long[c];
        this.freeList = new int[c];
        for (int i = 0; i < c; i++) {
            freeList[i] = c - 1 - i;
        }
        this.freeTop = c;
        this.index = new int[2 * c];
        java.util.Arrays.fill(index, EMPTY);
        this.indexMask = 2 * c - 1;
        this.fifo = new int[c];
        this.fifoTime = new long[c];
        this.fifoMask = c - 1;
        java.util.Arrays.fill(expected, -1);
        java.util.Arrays.fill(gaveUpAt, Long.MIN_VALUE);
        this.maxHoldNanos = maxHoldNanos;
    }

    public void setMaxHoldNanos(long maxHoldNanos) {
        this.maxHoldNanos = maxHoldNanos;
    }

    /** The longest wait of a packet now: the configured bound plus what late arrivals added (at most as much again). */
    public long maxHoldNanos() {
        return maxHoldNanos + Math.min(extraHoldNanos, maxHoldNanos);
    }

    /** What late arrivals currently add to the configured bound, ns. */
    public long extraHoldNanos() {
        return Math.min(extraHoldNanos, maxHoldNanos);
    }

    /**
     * A DATA packet arrived.
     *
     * @param bucket  its flow bucket ({@link FlowKey#bucket})
     * @param seq     its flow sequence number from the frame header (0..65535)
     * @param ctr     its frame counter (for {@link #settleBelow})
     * @param release receives packets to deliver, in order
     * @param drop    receives duplicates (to recycle)
     */
    public void offer(Packet p, int bucket, int seq, long ctr, long now, Consumer<Packet> release,
            Consumer<Packet> drop) {
        tick(now);
        // Room first (a free entry and a free arrival slot), so the decision below sees the final state.
        while (freeTop == 0 || fifoTail - fifoHead >= capacity) {
            pruneFifo();
            if (freeTop > 0 && fifoTail - fifoHead < capacity) {
                break;
            }
            releaseOldest(release);
        }
        int exp = expected[bucket];
        if (exp < 0) {
            exp = seq;
            expected[bucket] = seq;
        }
        int ahead = (seq - exp) & SEQ_MASK;
        if (ahead == 0) {
            releasedInOrder++;
            advance(bucket, true);
            release.accept(p);
            drain(bucket, release);
            return;
        }
        if (ahead < HALF) {
            if (find(bucket, seq) != EMPTY) {
                duplicates++;
                drop.accept(p);
                return;
            }
            hold(p, bucket, seq, ctr, now);
            return;
        }
        int back = (exp - seq) & SEQ_MASK; // 1..HALF
        if (back <= DUPLICATE_WINDOW) {
            int word = deliveredWord(bucket, seq);
            long bit = 1L << seq; // the shift uses the low 6 bits
            if ((delivered[word] & bit) != 0) {
                duplicates++;
                drop.accept(p);
                return;
            }
            delivered[word] |= bit;
        }
        late++;
        long gaveUp = gaveUpAt[bucket];
        if (gaveUp != Long.MIN_VALUE) {
            // Its gap was given up by timeout `lateness` ago: waiting that much longer would have delivered it in order.
            long lateness = now - gaveUp;
            if (lateness >= 0 && lateness <= maxHoldNanos) {
                extraHoldNanos = Math.max(extraHoldNanos, lateness + LATE_MARGIN_NANOS);
                lastLateNanos = now;
            }
        }
        release.accept(p);
    }

    /** Advances the clock and lets the extra wait decay (halved per quiet period) once late arrivals stop. */
    private void tick(long now) {
        clock = now;
        if (extraHoldNanos > 0 && now - lastLateNanos > EXTRA_DECAY_NANOS) {
            extraHoldNanos /= 2;
            if (extraHoldNanos < LATE_MARGIN_NANOS) {
                extraHoldNanos = 0;
            }
            lastLateNanos = now;
        }
    }

    /**
     * Every live path has delivered a frame with a counter at least {@code lowestPathCounter}: a held packet with a
     * lower counter waits for nothing that can still arrive, so the gaps before it are given up.
     */
    public void settleBelow(long lowestPathCounter, Consumer<Packet> release) {
        if (held == 0) {
            return;
        }
        for (long i = fifoHead; i < fifoTail && held > 0; i++) {
            int e = fifo[(int) (i & fifoMask)];
            if (isLive(e, fifoTime[(int) (i & fifoMask)]) && counter[e] < lowestPathCounter) {
                releasedBySettle++;
                releaseThrough(e, release, false);
            }
        }
        pruneFifo();
    }

    /** Releases every packet that has waited {@code maxHoldNanos}, with what it unblocks. */
    public void expire(long now, Consumer<Packet> release) {
        tick(now);
        pruneFifo();
        long bound = maxHoldNanos();
        while (fifoHead < fifoTail) {
            int slot = (int) (fifoHead & fifoMask);
            int e = fifo[slot];
            if (now - fifoTime[slot] < bound) {
                return;
            }
            releasedByTimeout++;
            releaseThrough(e, release, true);
            pruneFifo();
        }
    }

    /** When {@link #expire} must next run; Long.MAX_VALUE if nothing is held. */
    public long nextDeadline() {
        pruneFifo();
        return fifoHead < fifoTail ? fifoTime[(int) (fifoHead & fifoMask)] + maxHoldNanos() : Long.MAX_VALUE;
    }

    /** Releases everything held, flow by flow in order (shutdown). */
    public void flush(Consumer<Packet> release) {
        pruneFifo();
        while (fifoHead < fifoTail) {
            releaseThrough(fifo[(int) (fifoHead & fifoMask)], release, false);
            pruneFifo();
        }
    }

    // ------------------------------------------------------------------ internals

    private void hold(Packet p, int bucket, int seq, long ctr, long now) {
        int e = freeList[--freeTop];
        packet[e] = p;
        key[e] = (bucket << 16) | seq;
        counter[e] = ctr;
        arrived[e] = now;
        int h = slotFor(key[e]);
        while (index[h] != EMPTY) {
            h = (h + 1) & indexMask;
        }
        index[h] = e;
        int f = (int) (fifoTail++ & fifoMask);
        fifo[f] = e;
        fifoTime[f] = now;
        held++;
        heldInBucket[bucket]++;
        heldTotal++;
    }

    /**
     * Gives up the bucket's gaps before entry {@code e}, releases it and what follows it in order.
     *
     * @param timedOut whether the wait ran out (then a predecessor arriving later measures the wait it needed)
     */
    private void releaseThrough(int e, Consumer<Packet> release, boolean timedOut) {
        int bucket = key[e] >>> 16;
        int seq = key[e] & SEQ_MASK;
        while (expected[bucket] != seq) {
            int at = find(bucket, expected[bucket]);
            if (at != EMPTY) {
                Packet q = take(at);
                advance(bucket, true);
                release.accept(q);
            } else {
                advance(bucket, false);
                gaveUpAt[bucket] = timedOut ? clock : Long.MIN_VALUE;
            }
        }
        drain(bucket, release);
    }

    private void releaseOldest(Consumer<Packet> release) {
        pruneFifo();
        if (fifoHead < fifoTail) {
            releasedByTimeout++;
            releaseThrough(fifo[(int) (fifoHead & fifoMask)], release, false);
        }
    }

    /** Releases the bucket's held packets that are next in order. */
    private void drain(int bucket, Consumer<Packet> release) {
        while (heldInBucket[bucket] > 0) {
            int at = find(bucket, expected[bucket]);
            if (at == EMPTY) {
                return;
            }
            Packet q = take(at);
            releasedInOrder++;
            advance(bucket, true);
            release.accept(q);
        }
    }

    private void advance(int bucket, boolean wasDelivered) {
        int seq = expected[bucket];
        int word = deliveredWord(bucket, seq);
        long bit = 1L << seq;
        delivered[word] = wasDelivered ? delivered[word] | bit : delivered[word] & ~bit;
        expected[bucket] = (seq + 1) & SEQ_MASK;
    }

    /** The word of {@link #delivered} that holds the bit of {@code seq} in {@code bucket}'s ring. */
    private static int deliveredWord(int bucket, int seq) {
        return bucket * WORDS_PER_BUCKET + ((seq & (DUPLICATE_WINDOW - 1)) >>> 6);
    }

    private boolean isLive(int e, long time) {
        return packet[e] != null && arrived[e] == time;
    }

    private void pruneFifo() {
        while (fifoHead < fifoTail) {
            int slot = (int) (fifoHead & fifoMask);
            if (isLive(fifo[slot], fifoTime[slot])) {
                return;
            }
            fifoHead++;
        }
    }

    private int slotFor(int k) {
        return (k * 0x9e3779b1 >>> 7) & indexMask;
    }

    private int find(int bucket, int seq) {
        int k = (bucket << 16) | seq;
        int h = slotFor(k);
        while (index[h] != EMPTY) {
            int e = index[h];
            if (key[e] == k) {
                return e;
            }
            h = (h + 1) & indexMask;
        }
        return EMPTY;
    }

    /** Removes entry {@code e} from the index (backward-shift deletion) and returns its packet. */
    private Packet take(int e) {
        int h = slotFor(key[e]);
        while (index[h] != e) {
            h = (h + 1) & indexMask;
        }
        int hole = h;
        int j = (hole + 1) & indexMask;
        while (index[j] != EMPTY) {
            int home = slotFor(key[index[j]]);
            // Move index[j] into the hole if its home is not between hole (exclusive) and j (inclusive).
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                index[hole] = index[j];
                hole = j;
            }
            j = (j + 1) & indexMask;
        }
        index[hole] = EMPTY;
        Packet p = packet[e];
        packet[e] = null;
        heldInBucket[key[e] >>> 16]--;
        held--;
        freeList[freeTop++] = e;
        return p;
    }

    public int held() {
        return held;
    }

    int capacity() {
        return capacity;
    }

    public long releasedInOrder() {
        return releasedInOrder;
    }

    public long releasedByTimeout() {
        return releasedByTimeout;
    }

    /** Packets released because every path had passed them (their predecessors were lost). */
    public long releasedBySettle() {
        return releasedBySettle;
    }

    public long lateArrivals() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }

    public long heldTotal() {
        return heldTotal;
    }
}
