package dev.multipath.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Live counters of one path. Each counter has one writer thread in steady state; readers (status, metrics) may
 * read at any time and see a recent value.
 */
public final class PathStats {

    public final AtomicLong packetsSent = new AtomicLong();
    public final AtomicLong bytesSent = new AtomicLong();
    public final AtomicLong packetsReceived = new AtomicLong();
    public final AtomicLong bytesReceived = new AtomicLong();
    public final AtomicLong controlFramesSent = new AtomicLong();
    public final AtomicLong controlFramesReceived = new AtomicLong();
    /** Times the path went from usable to unusable. */
    public final AtomicLong downEvents = new AtomicLong();
    /** Last time (System.nanoTime) an authenticated frame arrived on the path, 0 if never. */
    public final AtomicLong lastReceiveNanos = new AtomicLong();

    /** An immutable copy for display. */
    public Snapshot snapshot(int id, String name, String state, int metric, String remote, long rttNanos,
            long rateBytesPerSecond, Congestion congestion) {
        return new Snapshot(id, name, state, metric, remote, packetsSent.get(), bytesSent.get(),
                packetsReceived.get(), bytesReceived.get(), downEvents.get(), lastReceiveNanos.get(), rttNanos,
                rateBytesPerSecond, congestion);
    }

    /**
     * A point-in-time view of one path.
     *
     * @param state "waiting" (never connected), "up", "down" (link lost) or "dead" (link up, probes unanswered)
     * @param lastReceiveNanos System.nanoTime of the last authenticated frame, 0 if none
     * @param rttNanos smoothed RTT, 0 while unknown
     * @param rateBytesPerSecond measured delivery rate, 0 while unknown
     */
    public record Snapshot(int id, String name, String state, int metric, String remote, long packetsSent,
            long bytesSent, long packetsReceived, long bytesReceived, long downEvents, long lastReceiveNanos,
            long rttNanos, long rateBytesPerSecond, Congestion congestion) {

        /** Without congestion figures (tests, transports without congestion control). */
        public Snapshot(int id, String name, String state, int metric, String remote, long packetsSent,
                long bytesSent, long packetsReceived, long bytesReceived, long downEvents, long lastReceiveNanos,
                long rttNanos, long rateBytesPerSecond) {
            this(id, name, state, metric, remote, packetsSent, bytesSent, packetsReceived, bytesReceived, downEvents,
                    lastReceiveNanos, rttNanos, rateBytesPerSecond, Congestion.NONE);
        }
    }

    /**
     * Congestion-control figures of one path.
     *
     * @param controller "bbr", "cubic", or "-" when the link does its own (TCP)
     * @param lostFrames DATA frames declared lost on this path (sent by this side)
     */
    public record Congestion(String controller, long cwndBytes, long bytesInFlight, long pacingRateBytesPerSecond,
            long minRttNanos, long ackedFrames, long lostFrames, long deaths, long revivals) {
        public static final Congestion NONE = new Congestion("-", 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
