package dev.multipath.engine;

import dev.multipath.api.Link;
import dev.multipath.api.PathView;
import dev.multipath.buffer.Packet;
import dev.multipath.stats.PathStats;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * The engine's state for one path: its current link, whether it is usable, its counters, and a small queue of
 * control frames (keepalives, later acks and probes) that its sender thread sends before data.
 */
public final class EnginePath implements PathView {

    private final int id;
    private final String name;
    private final int metric;
    private final PathStats stats = new PathStats();
    private final Doorbell doorbell = new Doorbell();
    private final MpscVarHandleArrayQueue<Packet> control = new MpscVarHandleArrayQueue<>(64);
    private volatile Link link;
    private volatile boolean up;
    private volatile long lastSendNanos;

    EnginePath(int id, String name, int metric) {
        this.id = id;
        this.name = name;
        this.metric = metric;
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

    @Override
    public boolean isUsable() {
        Link l = link;
        return up && l != null && l.isUp();
    }

    @Override
    public long smoothedRttNanos() {
        return 0;
    }

    @Override
    public long deliveryRateBytesPerSecond() {
        return 0;
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

    long lastSendNanos() {
        return lastSendNanos;
    }

    void setLastSendNanos(long t) {
        lastSendNanos = t;
    }

    String state() {
        if (link == null) {
            return "waiting";
        }
        return isUsable() ? "up" : "down";
    }

    public PathStats.Snapshot snapshot() {
        Link l = link;
        return stats.snapshot(id, name, state(), metric, l == null ? "-" : l.remoteDescription(), smoothedRttNanos(),
                deliveryRateBytesPerSecond());
    }
}
