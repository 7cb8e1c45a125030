package dev.multipath.stats;

import dev.multipath.api.PortalStatus;
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
    /** Data packets sent again on other paths because this one fell silent before acknowledging them. */
    public final AtomicLong packetsRescued = new AtomicLong();
    /** PADDING frames sent while the path's controller searched for its capacity (see {@code FrameType.PADDING}). */
    public final AtomicLong paddingSent = new AtomicLong();
    /** Inner packets CoDel marked Congestion Experienced instead of dropping them (their sender uses ECN). */
    public final AtomicLong ecnMarked = new AtomicLong();
    /** Last time (System.nanoTime) an authenticated frame arrived on the path, 0 if never. */
    public final AtomicLong lastReceiveNanos = new AtomicLong();

    /** An immutable copy for display. */
    public PortalStatus.Path snapshot(int id, String name, String state, int metric, String remote, long rttNanos,
            long rateBytesPerSecond, PortalStatus.Congestion congestion) {
        return new PortalStatus.Path(id, name, state, metric, remote, packetsSent.get(), bytesSent.get(),
                packetsReceived.get(), bytesReceived.get(), downEvents.get(), lastReceiveNanos.get(), rttNanos,
                rateBytesPerSecond, congestion);
    }
}
