package dev.multipath.engine;

import dev.multipath.buffer.Packet;
import java.util.function.Consumer;

/**
 * Holds each full-size packet that arrived on a shorter path for the difference between the longest path's base
 * one-way delay and its own, before the reorder buffer sees it, so that to the inner TCP the tunnel looks like one
 * link with the longest path's delay from a flow's first packet on.
 *
 * <p>Why: without it a flow's first round trips go on the shortest path alone, and its RTT steps up (8 -> 60 ms one
 * way on the lab's three-unequal links) as soon as it outgrows that path and a longer one comes into use, because
 * every later packet then waits in the reorder buffer for the long path's. Linux cubic's HyStart reads that step as a
 * full pipe and leaves slow start at about the short path's rate; cubic's congestion avoidance then needs 10-20 s to
 * reach the links' sum (lab traces: the 30 Mbit / 60 ms path ramping from 0.8 to 27 Mbit/s over 18 s with the shared
 * queue empty throughout, goodput 0.24-0.46 of the link sum over a 20 s flow). A flow whose RTT is the long one from
 * the start leaves slow start near the links' capacity, like a direct link of that delay.
 *
 * <p>What is held: packets larger than {@link #SMALL_PACKET_BYTES} (data), TCP SYNs (so that the handshake's RTT,
 * which cubic also takes as a minimum, is the long one too) and TCP segments with any payload (a small one's ACK is
 * an RTT sample as well). Other small packets (pure ACKs, pings, DNS, voice) pass at once:
 * their latency stays that of the path they took, and they pass held packets. The offsets come from min RTTs (propagation, not queueing), so
 * paths of equal delay hold nothing; the reorder buffer still restores order after queueing differences.
 *
 * <p>Per path a FIFO ring (paths deliver in order, and an offset changes only at {@link #setOffset}, so release times
 * stay ordered per path; a held packet is never released before one held earlier on its path). Single-threaded
 * (the packet-source writer), no allocation per packet (a path's ring is allocated when the path is first seen).
 */
final class DelayEqualizer {

    /** Packets up to this size pass at once (an ACK with SACK blocks is at most ~100 bytes). */
    static final int SMALL_PACKET_BYTES = 256;
    /** Per-path offsets above this are not applied (a path that slow is better left to the reorder buffer). */
    static final long MAX_OFFSET_NANOS = 150_000_000L;
    /**
     * Nor offsets below this: HyStart ignores an RTT rise under 4 ms, and between links of nearly equal delay the min
     * RTTs differ by host scheduling noise (lab, 2 x 10 Mbit with no added delay: 0.3-2 ms), which the reorder buffer
     * absorbs anyway. Equal links then hold nothing.
     */
    static final long MIN_OFFSET_NANOS = 4_000_000L;

    private static final int PATHS = 256;

    private final int capacity;
    private final Consumer<Packet> release;
    private final long[] offset = new long[PATHS];
    private final Ring[] rings = new Ring[PATHS];
    private int held;

    /** One path's held packets, in arrival order. */
    private static final class Ring {
        final Packet[] packet;
        final long[] releaseAt;
        final long[] counter;
        final int mask;
        long head;
        long tail;
        long lastReleaseAt = Long.MIN_VALUE;

        Ring(int capacity) {
            packet = new Packet[capacity];
            releaseAt = new long[capacity];
            counter = new long[capacity];
            mask = capacity - 1;
        }

        boolean isEmpty() {
            return head == tail;
        }
    }

    /**
     * @param capacityPerPath packets held per path at most (rounded up to a power of two); beyond it the oldest is
     *                        released early
     * @param release         receives packets when their time comes (the reorder buffer)
     */
    DelayEqualizer(int capacityPerPath, Consumer<Packet> release) {
        this.capacity = Integer.highestOneBit(Math.max(2, capacityPerPath - 1)) << 1;
        this.release = release;
    }

    /** Sets how long full-size packets arriving on path {@code pathId} are held (0: not at all). */
    void setOffset(int pathId, long nanos) {
        offset[pathId & (PATHS - 1)] = nanos > MAX_OFFSET_NANOS || nanos < MIN_OFFSET_NANOS ? 0 : nanos;
    }

    long offset(int pathId) {
        return offset[pathId & (PATHS - 1)];
    }

    /**
     * A packet arrived on path {@code pathId}: it is held, or handed to the release sink at once.
     *
     * @param counter its frame counter (see {@link #lowestHeldCounter})
     */
    void offer(Packet p, int pathId, long counter, long now) {
        int id = pathId & (PATHS - 1);
        Ring r = rings[id];
        long off = offset[id];
        // A full-size packet also queues behind held ones when its path's offset has just fallen to 0: its path's
        // packets stay in order.
        boolean hold = (off > 0 || r != null && !r.isEmpty()) && (p.length() > SMALL_PACKET_BYTES || isTcpSynOrData(p));
        if (!hold) {
            // Also past held packets of its path: another flow's small packet (a ping) must not wait for them, and
            // one of their own flow waits for them in the reorder buffer anyway. Measured with small packets kept
            // behind held ones: ping under load on three-unequal 77-103 ms instead of 58-62.
            release.accept(p);
            return;
        }
        if (r == null) {
            r = new Ring(capacity);
            rings[id] = r;
        }
        if (r.tail - r.head == capacity) {
            releaseHead(r);
        }
        long at = Math.max(now + off, r.lastReleaseAt);
        int slot = (int) (r.tail++ & r.mask);
        r.packet[slot] = p;
        r.releaseAt[slot] = at;
        r.counter[slot] = counter;
        r.lastReleaseAt = at;
        held++;
    }

    /** Releases every packet whose time has come. */
    void releaseDue(long now) {
        if (held == 0) {
            return;
        }
        for (Ring r : rings) {
            if (r == null) {
                continue;
            }
            while (!r.isEmpty() && r.releaseAt[(int) (r.head & r.mask)] <= now) {
                releaseHead(r);
            }
        }
    }

    /** When {@link #releaseDue} next has work; Long.MAX_VALUE if nothing is held. */
    long nextDeadline() {
        if (held == 0) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        for (Ring r : rings) {
            if (r != null && !r.isEmpty()) {
                next = Math.min(next, r.releaseAt[(int) (r.head & r.mask)]);
            }
        }
        return next;
    }

    /**
     * The lowest frame counter among held packets (Long.MAX_VALUE if none). The reorder buffer may give up a gap
     * because every path has delivered a higher counter only below this: a packet held here has arrived, it is not
     * lost.
     */
    long lowestHeldCounter() {
        if (held == 0) {
            return Long.MAX_VALUE;
        }
        long low = Long.MAX_VALUE;
        for (Ring r : rings) {
            if (r != null && !r.isEmpty()) {
                low = Math.min(low, r.counter[(int) (r.head & r.mask)]);
            }
        }
        return low;
    }

    int held() {
        return held;
    }

    /** Releases everything held, path by path in arrival order (shutdown). */
    void flush() {
        for (Ring r : rings) {
            while (r != null && !r.isEmpty()) {
                releaseHead(r);
            }
        }
    }

    private void releaseHead(Ring r) {
        int slot = (int) (r.head++ & r.mask);
        Packet p = r.packet[slot];
        r.packet[slot] = null;
        held--;
        release.accept(p);
    }

    /** Whether the inner packet is a TCP segment with SYN set (IPv4 or IPv6 without extension headers). */
    static boolean isTcpSyn(Packet p) {
        int tcp = tcpHeaderOffset(p);
        return tcp > 0 && (p.data()[Packet.PAYLOAD_OFFSET + tcp + 13] & 0x02) != 0;
    }

    /**
     * Whether the inner packet is a TCP segment with SYN set or with payload, however small (IPv4 or IPv6 without
     * extension headers). A small data segment is held like a full-size one: its ACK gives the sender an RTT sample,
     * and one sample of the short path's RTT is enough to poison the sender's minimum. Measured (lab rate-delay,
     * {@code ss -ti} in the client namespace): iperf3's 37-byte cookie, the first segment of its data connection,
     * passed at once, the client's cubic took 14 ms as its min RTT where the equalized path gives 36, and HyStart
     * (a rise of max(4 ms, min RTT / 8) ends slow start) left slow start at cwnd 28: the outbound flow ramped for 4 s.
     * Pure ACKs (no payload) still pass.
     */
    static boolean isTcpSynOrData(Packet p) {
        int tcp = tcpHeaderOffset(p);
        if (tcp <= 0) {
            return false;
        }
        byte[] d = p.data();
        int o = Packet.PAYLOAD_OFFSET;
        if ((d[o + tcp + 13] & 0x02) != 0) {
            return true;
        }
        int dataOffset = ((d[o + tcp + 12] & 0xff) >>> 4) * 4;
        return dataOffset >= 20 && p.length() > tcp + dataOffset;
    }

    /** Offset of the TCP header in the inner packet, or -1 if it is not a TCP segment with a whole fixed header. */
    private static int tcpHeaderOffset(Packet p) {
        byte[] d = p.data();
        int o = Packet.PAYLOAD_OFFSET;
        int len = p.length();
        if (len < 1) {
            return -1;
        }
        int version = (d[o] & 0xff) >>> 4;
        int tcp;
        if (version == 4) {
            if (len < 20 || d[o + 9] != 6) {
                return -1;
            }
            tcp = (d[o] & 0x0f) * 4;
        } else if (version == 6) {
            if (len < 40 || d[o + 6] != 6) {
                return -1;
            }
            tcp = 40;
        } else {
            return -1;
        }
        return len >= tcp + 14 ? tcp : -1;
    }
}
