package dev.multipath.engine;

import dev.multipath.api.Link;
import dev.multipath.api.PathView;
import dev.multipath.api.PortalStatus;
import dev.multipath.buffer.Packet;
import dev.multipath.cc.PathController;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.stats.PathStats;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * The engine's state for one path: its current link, whether it is usable, its counters, and a small queue of
 * control frames (keepalives, later acks and probes) that its sender thread sends before data.
 */
public final class EnginePath implements PathView {

    private final int id;
    private volatile String name;
    private volatile int metric;
    private final PathStats stats = new PathStats();
    private final Doorbell doorbell = new Doorbell();
    private final MpscVarHandleArrayQueue<Packet> control = new MpscVarHandleArrayQueue<>(64);
    private volatile Link link;
    private volatile boolean up;
    private volatile long lastSendNanos;
    private volatile long lastCounter = -1;
    private final PathController controller;
    private volatile boolean overflow;
    private final CoDel codel = new CoDel();
    /** While non-zero: the link refused a send, and the path takes no data until this time (see the setter). */
    private volatile long sendFailedUntil;
    /** The last send on this path failed (kept across the retry, until a send succeeds). */
    private volatile boolean lastSendFailed;
    /** Its controller found it silent while another path was heard: no new data until it answers (see setter). */
    private volatile boolean quiet;
    private final RescueRing rescueRing;

    EnginePath(int id, String name, int metric, PathControllerConfig ccConfig, long nowNanos) {
        this.id = id;
        this.name = name;
        this.metric = metric;
        this.controller = new PathController(id, ccConfig, nowNanos);
        this.rescueRing = new RescueRing(ccConfig.maxFrameSize());
    }

    /** Copies of the path's last data packets, for when it falls silent; used by the path's sender only. */
    RescueRing rescueRing() {
        return rescueRing;
    }

    /**
     * The link refused a send (no route: its interface just went down, before the transport or the probes notice):
     * the path takes no data until {@code retryAtNanos}, so its sender does not pull the scheduler's queue into a
     * link that drops everything. Measured: a path whose interface went down drained the shared queue for the 200 ms
     * until the transport's monitor noticed, and the inner TCP stalled 1.5 s on its retransmission timer. Used by the
     * path's sender only; read by the scheduler through {@link #isUsable()}.
     */
    void markSendFailed(long retryAtNanos) {
        sendFailedUntil = retryAtNanos == 0 ? 1 : retryAtNanos;
        lastSendFailed = true;
    }

    /** Whether the last send failed and none succeeded since: the next try should risk one frame, not a batch. */
    boolean lastSendFailed() {
        return lastSendFailed;
    }

    /** Clears the send-failure mark when its time has come (returns true) or leaves it (false). */
    boolean retrySendIfDue(long nowNanos) {
        long until = sendFailedUntil;
        if (until == 0) {
            return false;
        }
        if (nowNanos - until >= 0) {
            sendFailedUntil = 0;
            return true;
        }
        return false;
    }

    /** A send succeeded: the link takes frames again. */
    void clearSendFailed() {
        if (sendFailedUntil != 0) {
            sendFailedUntil = 0;
        }
        if (lastSendFailed) {
            lastSendFailed = false;
        }
    }

    /**
     * Set by the path's sender ({@code PortalCore.updateSilence}): the path is silent ({@link PathController#isSilent})
     * while another path is heard, so it takes no new data. The controller's own view, cleared by the receive thread
     * on the first ACK or probe reply, ends it without waiting for the sender.
     *
     * @return whether this changed it
     */
    boolean setQuiet(boolean quiet) {
        if (this.quiet != quiet) {
            this.quiet = quiet;
            return true;
        }
        return false;
    }

    /** Whether the path is held back as silent now. */
    boolean isQuiet() {
        return quiet && controller.isSilentView();
    }

    /** Active queue management on this path's dequeues; used only by the path's sender. */
    public CoDel codel() {
        return codel;
    }

    /** The path's congestion control, rate and RTT estimates, and health (probing). */
    public PathController controller() {
        return controller;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int metric() {
        return metric;
    }

    /** The name and metric the peer announced for this path (remote portal; they may arrive after the path). */
    void describe(String newName, int newMetric) {
        if (newMetric != metric) {
            metric = newMetric;
        }
        if (!newName.equals(name)) {
            name = newName;
        }
    }

    @Override
    public boolean overflow() {
        return overflow;
    }

    /** Lets this path take traffic when the lower-metric tier is saturated. */
    public void setOverflow(boolean overflow) {
        this.overflow = overflow;
    }

    @Override
    public boolean isUsable() {
        Link l = link;
        return up && l != null && l.isUp() && controller.isAliveView() && sendFailedUntil == 0 && !isQuiet();
    }

    @Override
    public long smoothedRttNanos() {
        return controller.ackedFrames() > 0 ? controller.smoothedRttNanos() : 0;
    }

    @Override
    public long minRttNanos() {
        return controller.ackedFrames() > 0 ? Math.max(0, controller.minRttNanos()) : 0;
    }

    @Override
    public long deliveryRateBytesPerSecond() {
        return controller.deliveryRate();
    }

    @Override
    public boolean capacityKnown() {
        return controller.capacityKnown();
    }

    @Override
    public long queuedBytes() {
        return 0;
    }

    public PathStats stats() {
        return stats;
    }

    public Link link() {
        return link;
    }

    /** Binds the path to {@code l} and marks it up; returns true if this changed the link or the state. */
    boolean bind(Link l) {
        boolean changed = false;
        if (link != l) {
            link = l;
            changed = true;
        }
        if (!up) {
            up = true;
            changed = true;
        }
        return changed;
    }

    /** Marks the path down if it currently uses {@code l}; returns true if it was up. */
    boolean linkDown(Link l) {
        if (link == l && up) {
            up = false;
            stats.downEvents.incrementAndGet();
            return true;
        }
        return false;
    }

    boolean isUp() {
        return up;
    }

    Doorbell doorbell() {
        return doorbell;
    }

    MpscVarHandleArrayQueue<Packet> controlQueue() {
        return control;
    }

    /** Counter of the last authenticated frame received on this path (paths deliver in order), -1 if none. */
    long lastCounter() {
        return lastCounter;
    }

    void setLastCounter(long counter) {
        lastCounter = counter;
    }

    long lastSendNanos() {
        return lastSendNanos;
    }

    void setLastSendNanos(long t) {
        lastSendNanos = t;
    }

    String state() {
        Link l = link;
        if (l == null) {
            return "waiting";
        }
        if (!up || !l.isUp()) {
            return "down";
        }
        return controller.isAliveView() ? "up" : "dead";
    }

    public PortalStatus.Path snapshot() {
        Link l = link;
        PathController c = controller;
        PortalStatus.Congestion cc = new PortalStatus.Congestion(
                l != null && l.isReliable() ? "-" : c.controllerName(), c.congestionWindow(), c.bytesInFlight(),
                c.pacingRate(), c.minRttNanos(), c.ackedFrames(), c.lostFrames(), c.deaths(), c.revivals(),
                c.silences(), stats.packetsRescued.get(), stats.paddingSent.get(), stats.ecnMarked.get());
        return stats.snapshot(id, name, state(), metric, l == null ? "-" : l.remoteDescription(), smoothedRttNanos(),
                deliveryRateBytesPerSecond(), cc);
    }
}
