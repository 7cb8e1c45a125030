package dev.multipath.reorder;

import dev.multipath.buffer.Packet;
import java.util.function.Consumer;

/**
 * Restores the sender's order of frames that arrived over paths with different delays, with a bounded wait.
 *
 * <p>Every frame carries the session's counter, shared by all paths, and each path delivers in order. So a missing
 * counter is settled as soon as every live path has delivered a higher one (it was lost), or when it arrives, or when
 * the oldest held packet has waited {@code maxHoldNanos} (the delay spread between paths plus a margin). A loss
 * therefore never stalls delivery for longer than the bound, and usually much less.
 *
 * <p>Sans-IO and single-threaded: the TUN writer thread owns it. Held packets are kept in a ring indexed by counter;
 * nothing is allocated per packet. Control frames consume counters too: report them with {@link #skip} so they do not
 * look like gaps.
 */
public final class ReorderBuffer {

    private final Packet[] ring;
    private final long[] heldAt;
    private final int mask;
    private long maxHoldNanos;
    private long next = -1;
    private int held;
    private long highestSeen = -1;
    private final boolean[] skipped;
    /** Counters of held packets in arrival order (lazily pruned): the head is the packet waiting longest. */
    private final long[] arrivals;
    private long arrivalHead;
    private long arrivalTail;

    /** A counter this far below the next expected one starts a new session's numbering. */
    static final long NEW_SESSION_DISTANCE = 1L << 20;

    // Counters, read by status and metrics.
    private long newSessions;
    private long releasedInOrder;
    private long releasedByTimeout;
    private long releasedByLoss;
    private long late;
    private long heldTotal;

    /**
     * @param capacity     frames the buffer can hold (rounded up to a power of two); a frame further ahead than this
     *                     forces the oldest gaps to be given up
     * @param maxHoldNanos longest time a packet waits for an earlier one
     */
    public ReorderBuffer(int capacity, long maxHoldNanos) {
        int c = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.ring = new Packet[c];
        this.heldAt = new long[c];
        this.skipped = new boolean[c];
        this.arrivals = new long[c];
        this.mask = c - 1;
        this.maxHoldNanos = maxHoldNanos;
    }

    /** Changes the bound, for example as the measured delay spread between paths changes. */
    public void setMaxHoldNanos(long maxHoldNanos) {
        this.maxHoldNanos = maxHoldNanos;
    }

    public long maxHoldNanos() {
        return maxHoldNanos;
    }

    /**
     * A data packet with {@code counter} arrived. It is released at once when it is next in order (with whatever it
     * unblocks) or late; otherwise held.
     */
    public void offer(Packet p, long counter, long now, Consumer<Packet> release) {
        if (next < 0) {
            next = counter;
        } else if (counter + NEW_SESSION_DISTANCE < next) {
            // Counters restart with every session (rekey): deliver what waits, then follow the new numbering.
            flush(release);
            next = counter;
            highestSeen = -1;
            newSessions++;
        }
        if (counter < next) {
            late++;
            release.accept(p);
            return;
        }
        highestSeen = Math.max(highestSeen, counter);
        makeRoom(counter, release);
        if (counter == next) {
            releasedInOrder++;
            release.accept(p);
            next++;
            drainReady(release);
            return;
        }
        int i = (int) (counter & mask);
        if (ring[i] != null || skipped[i]) {
            // Duplicate of a held counter: the replay window normally stops these first.
            late++;
            release.accept(p);
            return;
        }
        ring[i] = p;
        heldAt[i] = now;
        held++;
        heldTotal++;
        arrivals[(int) (arrivalTail++ & mask)] = counter;
    }

    /** A frame with {@code counter} arrived that carries nothing to deliver (a control frame). */
    public void skip(long counter, Consumer<Packet> release) {
        if (next < 0) {
            next = counter;
        }
        if (counter < next) {
            return;
        }
        highestSeen = Math.max(highestSeen, counter);
        makeRoom(counter, release);
        if (counter == next) {
            next++;
            drainReady(release);
        } else {
            skipped[(int) (counter & mask)] = true;
        }
    }

    /**
     * Gives up every missing counter below {@code lowestPathHighest}: each live path has delivered something newer,
     * so those frames were lost. Pass the minimum, over live paths, of the highest counter each has delivered.
     */
    public void settleBelow(long lowestPathHighest, Consumer<Packet> release) {
        while (next >= 0 && next < lowestPathHighest && next <= highestSeen) {
            int i = (int) (next & mask);
            if (ring[i] == null && !skipped[i]) {
                releasedByLoss++;
            }
            advanceOne(release);
        }
    }

    /** Releases what has waited too long; call when {@link #nextDeadline} has passed. */
    public void expire(long now, Consumer<Packet> release) {
        long oldest;
        while ((oldest = oldestHeldCounter()) >= 0 && now - heldAt[(int) (oldest & mask)] >= maxHoldNanos) {
            // Give up every gap before the packet waiting longest; it and all held before it go out in order.
            while (next <= oldest) {
                advanceOne(release);
            }
        }
    }

    /** Time by which {@link #expire} must run, or Long.MAX_VALUE if nothing is held. */
    public long nextDeadline() {
        long oldest = oldestHeldCounter();
        return oldest < 0 ? Long.MAX_VALUE : heldAt[(int) (oldest & mask)] + maxHoldNanos;
    }

    /** Counter of the held packet that arrived first, or -1; drops released entries from the arrival queue. */
    private long oldestHeldCounter() {
        while (arrivalHead < arrivalTail) {
            long c = arrivals[(int) (arrivalHead & mask)];
            if (c >= next && ring[(int) (c & mask)] != null) {
                return c;
            }
            arrivalHead++;
        }
        return -1;
    }

    private void makeRoom(long counter, Consumer<Packet> release) {
        while (counter - next >= ring.length) {
            advanceOne(release);
            releasedByLoss++;
        }
    }

    private void advanceOne(Consumer<Packet> release) {
        int i = (int) (next & mask);
        Packet p = ring[i];
        if (p != null) {
            ring[i] = null;
            held--;
            releasedByTimeout++;
            release.accept(p);
        }
        skipped[i] = false;
        next++;
        drainReady(release);
    }

    private void drainReady(Consumer<Packet> release) {
        while (true) {
            int i = (int) (next & mask);
            if (ring[i] != null) {
                Packet p = ring[i];
                ring[i] = null;
                held--;
                releasedInOrder++;
                release.accept(p);
                next++;
            } else if (skipped[i]) {
                skipped[i] = false;
                next++;
            } else {
                return;
            }
        }
    }

    /** Hands every held packet to {@code release} (in counter order), for shutdown or a new session. */
    public void flush(Consumer<Packet> release) {
        while (held > 0) {
            advanceOne(release);
        }
        java.util.Arrays.fill(skipped, false);
        arrivalHead = arrivalTail;
    }

    /** Times the counters restarted (a new session). */
    public long newSessions() {
        return newSessions;
    }

    public int held() {
        return held;
    }

    public long releasedInOrder() {
        return releasedInOrder;
    }

    public long releasedByTimeout() {
        return releasedByTimeout;
    }

    public long gapsGivenUp() {
        return releasedByLoss;
    }

    public long lateArrivals() {
        return late;
    }

    public long heldTotal() {
        return heldTotal;
    }
}
