package dev.multipath.cc;

/**
 * Sender side of one path: the ring of frames sent on the path (counter, bytes, send time, and the
 * delivery-rate state at send time), the bytes in flight, and what each ACK means: newly acknowledged bytes, an
 * RTT sample, a delivery-rate sample (BBR's rate-sample method) and losses (RACK / RFC 9002: a frame sent before
 * the newest acknowledged one is lost once 3 later frames are acknowledged or it is 9/8 RTT old).
 *
 * <p>Counters come from the session's shared counter, so on one path they are increasing but not contiguous; the
 * receiver lists the highest counters it got and its cumulative counts, and this class maps them onto the ring
 * (binary search). Frames the counts say were delivered but that no ACK listed (when several ACKs in a row are
 * lost) are credited to the oldest unacknowledged frames below the highest acknowledged counter; a surplus beyond
 * that means frames declared lost arrived late and is counted as spurious loss.
 *
 * <p>Usage per ACK: {@link #onAck}, then feed {@link #rttSampleNanos()} to the {@link RttEstimator}, then
 * {@link #detectLosses}. Threading: not thread-safe (the path's sender-side lock). No allocation after
 * construction.
 */
final class SentPacketTracker {

    /** Packet reordering threshold (RFC 9002 kPacketThreshold). */
    static final int PACKET_THRESHOLD = 3;
    private static final byte INFLIGHT = 0;
    private static final byte ACKED = 1;

    private final int mask;
    private final long[] counters;
    private final int[] sizes;
    private final long[] sentAt;
    private final long[] deliveredAtSend;
    private final long[] deliveredTimeAtSend;
    private final long[] firstSentTimeAtSend;
    private final byte[] state;
    /** Whether the sender was application-limited when the frame went (its rate sample then says little). */
    private final boolean[] appLimitedAtSend;
    /** Sequence number (position in this path's send order) of the oldest unresolved frame. */
    private long headSeq;
    /** Sequence number the next sent frame gets. */
    private long tailSeq;
    private long newestCounter = -1;
    private long bytesInFlight;
    private long largestAckedSeq = -1;

    // Rate-sample state (BBR draft, "delivery rate estimation").
    /** Samples over a shorter interval are discarded (see {@link #setMinRateIntervalNanos}). */
    private long minRateInterval;
    private long delivered;
    private long deliveredTime;
    private long firstSentTime;

    // Cumulative counts from the peer's last accepted ACK.
    private long lastAckFrames;
    private long lastAckBytes;
    private boolean anyAck;
    /**
     * The next ACK sets the baseline of the receiver's counts without crediting them: what they counted since the
     * last ACK includes frames this tracker has forgotten (a path declared dead, a counter restart), and crediting
     * those to a sample that starts after the forgetting inflated it (lab: 47 Mbit/s on a 10 Mbit path restored after
     * a black hole, which then held a 25 ms queue and slowed the flow to 12 of 19 Mbit/s for seconds).
     */
    private boolean rebaseline;

    // Results of the last onAck / detectLosses.
    private long ackedBytes;
    private int ackedFrames;
    private long rttSample = -1;
    private long ackDelay;
    private long rateSample = -1;
    private boolean rateSampleAppLimited;
    /**
     * Delivered-byte mark until which samples are application-limited (0: not limited), as Linux's tcp_rate.c: set
     * when the sender had room to send and nothing to send; cleared once everything in flight then is delivered.
     */
    private long appLimitedUntil;
    private long lostBytes;
    private int lostFrames;

    // Totals for status.
    private long totalSentFrames;
    private long totalAckedFrames;
    private long totalLostFrames;
    private long totalLostBytes;
    private long totalSpurious;
    private long rejectedAcks;
    private long staleAcks;

    /** @param capacity most frames in flight at once; rounded up to a power of two */
    SentPacketTracker(int capacity) {
        int cap = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
        mask = cap - 1;
        counters = new long[cap];
        sizes = new int[cap];
        sentAt = new long[cap];
        deliveredAtSend = new long[cap];
        deliveredTimeAtSend = new long[cap];
        firstSentTimeAtSend = new long[cap];
        state = new byte[cap];
        appLimitedAtSend = new boolean[cap];
    }

    /**
     * Delivery-rate samples span at least this (measured from an older frame's send when the newest one's is too
     * recent), else they are discarded: a shorter one would measure bursts (a shaper's token bucket, ACKs released
     * together after a scheduling delay), not the path. The path controller sets it to the larger of the min RTT
     * (as Linux does) and a floor for host and shaper burstiness. Default 0 (every sample as the BBR draft).
     */
    void setMinRateIntervalNanos(long nanos) {
        minRateInterval = Math.max(0, nanos);
    }

    /** Whether the ring has no room for another frame (the sender must wait for ACKs). */
    boolean isFull() {
        return tailSeq - headSeq > mask;
    }

    /**
     * Records a frame sent on this path.
     *
     * @param counter the frame's counter; must exceed every counter sent before on this path
     * @param bytes the frame's length on the wire (header, payload and tag; not the UDP/IP headers)
     * @return false (frame not tracked) if the ring is full or the counter is not increasing
     */
    boolean onSent(long counter, int bytes, long nowNanos) {
        if (isFull() || counter <= newestCounter || bytes < 0) {
            return false;
        }
        if (bytesInFlight == 0) {
            firstSentTime = nowNanos;
            deliveredTime = nowNanos;
        }
        int i = (int) (tailSeq & mask);
        counters[i] = counter;
        sizes[i] = bytes;
        sentAt[i] = nowNanos;
        deliveredAtSend[i] = delivered;
        deliveredTimeAtSend[i] = deliveredTime;
        firstSentTimeAtSend[i] = firstSentTime;
        appLimitedAtSend[i] = appLimitedUntil != 0;
        state[i] = INFLIGHT;
        tailSeq++;
        newestCounter = counter;
        bytesInFlight += bytes;
        totalSentFrames++;
        return true;
    }

    /**
     * The counter space restarted: the engine rekeyed, and the new session numbers its frames from 0 again. The
     * frames still in flight are forgotten (neither acknowledged nor lost: their ACKs name counters of the old
     * session, which the peer stops listing); the delivery and rate state carries on.
     */
    public void restartCounters() {
        rebaseline = true;
        headSeq = tailSeq;
        bytesInFlight = 0;
        newestCounter = -1;
    }

    /** The newest counter sent on this path (-1 before the first, or since {@link #restartCounters()}). */
    public long newestCounter() {
        return newestCounter;
    }

    /**
     * Applies an ACK for this path. Afterwards {@link #ackedBytes()}, {@link #rttSampleNanos()},
     * {@link #ackDelayNanos()} and {@link #deliveryRateSample()} describe it.
     *
     * @return false if the ACK was stale (not newer than the last one) or invalid (acknowledges a counter never
     *         sent); nothing changed then
     */
    boolean onAck(AckInfo ack, long nowNanos) {
        ackedBytes = 0;
        ackedFrames = 0;
        rttSample = -1;
        ackDelay = 0;
        rateSample = -1;
        rateSampleAppLimited = false;
        if (ack.highestCounter > newestCounter) {
            rejectedAcks++;
            return false;
        }
        long deltaFrames = (ack.framesReceived - lastAckFrames) & AckCodec.MASK32;
        if (anyAck && (deltaFrames == 0 || deltaFrames >= (1L << 31))) {
            staleAcks++;
            return false;
        }
        anyAck = true;
        lastAckFrames = ack.framesReceived;
        long deltaBytes = (ack.bytesReceived - lastAckBytes) & AckCodec.MASK48;
        lastAckBytes = ack.bytesReceived;
        if (rebaseline) {
            rebaseline = false;
            deltaBytes = 0;
            deltaFrames = 0;
        }
        delivered += deltaBytes;
        deliveredTime = nowNanos;
        if (appLimitedUntil != 0 && delivered > appLimitedUntil) {
            appLimitedUntil = 0;
        }

        long newestAckedSeq = -1;
        long highSeq = find(ack.highestCounter);
        if (highSeq >= 0 && state[(int) (highSeq & mask)] == INFLIGHT) {
            int i = (int) (highSeq & mask);
            rttSample = nowNanos - sentAt[i];
            ackDelay = ack.holdMicros * 1000;
            markAcked(highSeq);
            newestAckedSeq = highSeq;
        }
        for (int k = 0; k < ack.recentCount; k++) {
            long seq = find(ack.recent[k]);
            if (seq >= 0 && state[(int) (seq & mask)] == INFLIGHT) {
                markAcked(seq);
                newestAckedSeq = Math.max(newestAckedSeq, seq);
            }
        }
        // Credit deliveries that the counts report but no listed counter showed (lost ACKs): oldest first, below
        // the highest acknowledged frame, where frames are either delivered or lost.
        long surplus = deltaFrames - ackedFrames;
        long limit = Math.max(largestAckedSeq, highSeq);
        for (long seq = headSeq; surplus > 0 && seq < limit; seq++) {
            if (state[(int) (seq & mask)] == INFLIGHT) {
                markAcked(seq);
                newestAckedSeq = Math.max(newestAckedSeq, seq);
                surplus--;
            }
        }
        if (surplus > 0) {
            totalSpurious += surplus;
        }
        if (newestAckedSeq >= 0) {
            largestAckedSeq = Math.max(largestAckedSeq, newestAckedSeq);
            int i = (int) (newestAckedSeq & mask);
            firstSentTime = sentAt[i];
            // The sample runs from the delivery state when the newest acknowledged frame was sent; when that is
            // shorter than the minimum interval, from an older frame's (still in the ring, released or not), so
            // that it spans at least the minimum: a sample over a burst measures the burst, not the path (a
            // shaper's token bucket passes at line rate; ACKs released together after a host delay).
            int j = i;
            if (nowNanos - deliveredTimeAtSend[i] < minRateInterval) {
                j = (int) (lookBack(newestAckedSeq, nowNanos - minRateInterval) & mask);
            }
            long sendElapsed = sentAt[i] - firstSentTimeAtSend[j];
            long ackElapsed = nowNanos - deliveredTimeAtSend[j];
            long interval = Math.max(sendElapsed, ackElapsed);
            if (interval > 0 && interval >= minRateInterval) {
                rateSample = (long) ((delivered - deliveredAtSend[j]) * 1e9 / interval);
                rateSampleAppLimited = appLimitedAtSend[i];
            }
        }
        return true;
    }

    /**
     * The newest frame at or before {@code seq}, among those whose ring slot still holds it, that was sent with a
     * delivery time at or before {@code limit} (delivery times ascend with sequence); the oldest such slot if none.
     */
    private long lookBack(long seq, long limit) {
        long lo = Math.max(0, tailSeq - mask - 1);
        long hi = seq;
        long found = lo;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            if (deliveredTimeAtSend[(int) (mid & mask)] <= limit) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private void markAcked(long seq) {
        int i = (int) (seq & mask);
        state[i] = ACKED;
        bytesInFlight -= sizes[i];
        ackedBytes += sizes[i];
        ackedFrames++;
        totalAckedFrames++;
    }

    /** Whether the frame with {@code counter} was sent on this path and is neither acknowledged nor lost yet. */
    boolean isInFlight(long counter) {
        long seq = find(counter);
        return seq >= 0 && state[(int) (seq & mask)] == INFLIGHT;
    }

    /** Sequence number of the unresolved frame with {@code counter}, or -1. Counters ascend with sequence. */
    private long find(long counter) {
        long lo = headSeq;
        long hi = tailSeq - 1;
        while (lo <= hi) {
            long mid = (lo + hi) >>> 1;
            long c = counters[(int) (mid & mask)];
            if (c < counter) {
                lo = mid + 1;
            } else if (c > counter) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * Declares lost the frames that RACK says are lost, and any frame older than {@code expiryNanos} (a frame
     * no ACK will ever account for, for example when every later frame was lost too); releases acknowledged
     * frames from the ring. Call after each ACK and from time to time (the sender's timer).
     *
     * @param lossDelayNanos the time threshold, {@link RttEstimator#lossDelayNanos()}
     * @param expiryNanos the age at which an unacknowledged frame is given up, {@link RttEstimator#expiryNanos}
     * @return bytes newly declared lost (also {@link #lostBytes()})
     */
    long detectLosses(long nowNanos, long lossDelayNanos, long expiryNanos) {
        lostBytes = 0;
        lostFrames = 0;
        while (headSeq < tailSeq) {
            int i = (int) (headSeq & mask);
            if (state[i] != ACKED) {
                long age = nowNanos - sentAt[i];
                boolean rack = largestAckedSeq > headSeq
                        && (largestAckedSeq - headSeq >= PACKET_THRESHOLD || age >= lossDelayNanos);
                if (!rack && age < expiryNanos) {
                    break;
                }
                bytesInFlight -= sizes[i];
                lostBytes += sizes[i];
                lostFrames++;
            }
            headSeq++;
        }
        totalLostFrames += lostFrames;
        totalLostBytes += lostBytes;
        return lostBytes;
    }

    /** When {@link #detectLosses} may next find something by time alone, or {@link Long#MAX_VALUE}. */
    long nextLossCheckTime(long lossDelayNanos, long expiryNanos) {
        if (headSeq == tailSeq) {
            return Long.MAX_VALUE;
        }
        long sent = sentAt[(int) (headSeq & mask)];
        return largestAckedSeq > headSeq ? sent + Math.min(lossDelayNanos, expiryNanos) : sent + expiryNanos;
    }

    /** Forgets every frame in flight without calling it lost (the path died; its controller restarts). */
    void discardAll() {
        rebaseline = true;
        headSeq = tailSeq;
        bytesInFlight = 0;
        largestAckedSeq = tailSeq - 1;
    }

    long bytesInFlight() {
        return bytesInFlight;
    }

    /** Frames currently tracked (in flight or acknowledged but not yet released). */
    int trackedFrames() {
        return (int) (tailSeq - headSeq);
    }

    long ackedBytes() {
        return ackedBytes;
    }

    int ackedFrames() {
        return ackedFrames;
    }

    /** Raw RTT of the newest frame the last ACK acknowledged, or -1 if it gave none. */
    long rttSampleNanos() {
        return rttSample;
    }

    /** The peer's hold time for the RTT sample. */
    long ackDelayNanos() {
        return ackDelay;
    }

    /** Delivery rate (bytes/s) measured by the last ACK, or -1. */
    long deliveryRateSample() {
        return rateSample;
    }

    /**
     * Whether the last rate sample came from a frame sent while the sender was application-limited: it measured
     * what the sender offered, not what the path can carry.
     */
    boolean deliveryRateSampleAppLimited() {
        return rateSampleAppLimited;
    }

    /**
     * The sender could have sent (window and pacer open) but had nothing to send: frames sent from now until what
     * is in flight is delivered are marked application-limited.
     */
    void onAppLimited() {
        appLimitedUntil = Math.max(delivered + bytesInFlight, 1);
    }

    long lostBytes() {
        return lostBytes;
    }

    int lostFrames() {
        return lostFrames;
    }

    /** Bytes the peer reported delivered on this path so far. */
    long deliveredBytes() {
        return delivered;
    }

    long totalSentFrames() {
        return totalSentFrames;
    }

    long totalAckedFrames() {
        return totalAckedFrames;
    }

    long totalLostFrames() {
        return totalLostFrames;
    }

    long totalLostBytes() {
        return totalLostBytes;
    }

    /** Frames first declared lost that the peer's counts later showed delivered. */
    long totalSpuriousLosses() {
        return totalSpurious;
    }

    /** ACKs that acknowledged a counter never sent on this path (dropped). */
    long rejectedAcks() {
        return rejectedAcks;
    }

    /** ACKs older than one already applied (reordered ACKs; dropped). */
    long staleAcks() {
        return staleAcks;
    }
}
