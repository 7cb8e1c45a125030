package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.buffer.Packet;

/**
 * Small packets (the other direction's TCP ACKs above all, also pings, DNS, voice frames) go on a path with less than
 * half the RTT of a slower one, whatever the slower path's capacity or state, while the shared queue is short: such
 * a packet never needs a slower path for capacity, only the earliest arrival, and on a longer path it arrives later
 * and holds every later packet of its flow in the receiver's reorder buffer (the inner TCP's RTT becomes the long
 * path's). Shared by the greedy and earliest-arrival schedulers, so that the portal carrying a flow's ACKs keeps
 * them on the short path whichever of the two it runs (decisions 23 and 34).
 *
 * <p>Equal links are untouched (no path has half another's RTT), and so are paths without an RTT sample (TCP
 * transports, paths not yet measured). Stateless; no allocation.
 */
final class SmallPackets {

    /** A packet this small is an acknowledgement, a ping, a DNS query or a voice frame (an ACK with SACK blocks is ~100 bytes). */
    static final int SMALL_PACKET_BYTES = 256;

    /**
     * Up to this many queued bytes a small packet at the head waits for a faster path (about 10 ms of a 10 Mbit/s
     * path): beyond it the faster paths are behind, and the slower ones help.
     */
    static final long SMALL_BACKLOG_BYTES = 16 * 1024;

    private SmallPackets() {
    }

    /**
     * Whether {@code path} should leave {@code head} (the packet at the head of the shared queue, or null) to a
     * faster path. A peek at the head races with other paths' polls, so another packet may be the one taken: a
     * heuristic, which at worst sends one packet on the other kind of path.
     */
    static boolean leaveToFasterPath(Packet head, long queuedBytes, PathView path, PathSet paths) {
        return queuedBytes <= SMALL_BACKLOG_BYTES && isSmall(head) && hasMuchFasterPath(path, paths);
    }

    static boolean isSmall(Packet p) {
        return p != null && p.length() <= SMALL_PACKET_BYTES;
    }

    /**
     * Whether a usable path of {@code path}'s tier is much faster: less than half its min RTT (propagation) while
     * its smoothed RTT is still the shorter, or, where min RTTs are unknown, less than half its smoothed RTT.
     *
     * <p>Why min RTTs: a path's smoothed RTT includes the queue in the other direction, where its ACK frames wait
     * behind the peer's data, and a small packet does not wait there. Measured (lab three-unequal, remote portal's
     * trace, the first outbound flow): the 8 ms path's smoothed RTT rose from 16 to 34-37 ms with the other
     * direction's data queue, no longer half the 25 ms path's 58 ms, so that path took a share of the inner TCP's
     * ACKs, and each held every later ACK of the flow in the local reorder buffer 17 ms longer: the inner RTT went
     * from 70 to 87-97 ms in the flow's first rounds. The smoothed-RTT condition keeps a path whose own queue has
     * grown past the slower path's round trip from being waited for.
     */
    static boolean hasMuchFasterPath(PathView path, PathSet paths) {
        long rtt = path.smoothedRttNanos();
        if (rtt <= 0) {
            return false;
        }
        long minRtt = path.minRttNanos();
        for (PathView q : paths.snapshot()) {
            if (q == path || !q.isUsable() || q.metric() != path.metric()) {
                continue;
            }
            long qRtt = q.smoothedRttNanos();
            long qMin = q.minRttNanos();
            boolean faster = minRtt > 0 && qMin > 0
                    ? qMin < minRtt / 2 && qRtt > 0 && qRtt < rtt
                    : qRtt > 0 && qRtt < rtt / 2;
            if (faster) {
                return true;
            }
        }
        return false;
    }
}
