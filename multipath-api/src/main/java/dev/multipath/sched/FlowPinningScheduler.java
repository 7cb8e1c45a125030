package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import dev.multipath.frame.FlowKey;
import java.util.function.Consumer;

/**
 * Pins every flow (hash of its addresses, protocol and ports) to one preferred path: no reordering within a flow, but
 * no flow ever gets more than one path's bandwidth. This is per-session load balancing, the usual router feature the
 * project exists to beat; it is kept for comparison in the lab. When a path dies its flows move to the others.
 */
public final class FlowPinningScheduler implements Scheduler {

    private final Lanes lanes;

    public FlowPinningScheduler() {
        this(256);
    }

    public FlowPinningScheduler(int perPathCapacity) {
        this.lanes = new Lanes(perPathCapacity);
    }

    @Override
    public void addPath(PathView path) {
        lanes.add(path);
    }

    @Override
    public void removePath(PathView path) {
        lanes.remove(path);
    }

    @Override
    public boolean offer(Packet packet) {
        Lanes.Lane[] ls = lanes.all();
        int metric = lanes.lowestUsableMetric();
        if (metric == Integer.MAX_VALUE) {
            return false;
        }
        int candidates = 0;
        for (Lanes.Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() == metric) {
                candidates++;
            }
        }
        int pick = FlowKey.bucket(packet.data(), Packet.PAYLOAD_OFFSET, packet.length()) % candidates;
        for (Lanes.Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() == metric && pick-- == 0) {
                return l.offer(packet);
            }
        }
        return false;
    }

    @Override
    public Packet poll(PathView path) {
        return lanes.poll(path, this::offer);
    }

    @Override
    public boolean hasWork(PathView path) {
        return lanes.hasWork(path);
    }

    @Override
    public int queuedPackets() {
        return lanes.queuedPackets();
    }

    @Override
    public void setDropSink(Consumer<Packet> sink) {
        lanes.setDropSink(sink);
    }

    @Override
    public void drainTo(Consumer<Packet> sink) {
        lanes.drainTo(sink);
    }
}
