package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import java.util.function.Consumer;

/**
 * A scheduler that picks a path when a packet arrives and queues it on that path's lane ({@link Lanes}). Subclasses
 * only choose; queueing, polling, moving a dead path's packets and draining are here.
 */
abstract class LaneScheduler implements Scheduler {

    final Lanes lanes;

    LaneScheduler(int perPathCapacity) {
        this.lanes = new Lanes(perPathCapacity);
    }

    /**
     * The lane for {@code packet} among the usable paths of the lowest usable metric {@code metric}, or null.
     * Called only by the source reader thread.
     */
    abstract Lanes.Lane choose(Lanes.Lane[] lanes, int metric, Packet packet);

    @Override
    public final boolean offer(Packet packet) {
        int metric = lanes.lowestUsableMetric();
        if (metric == Integer.MAX_VALUE) {
            return false;
        }
        Lanes.Lane lane = choose(lanes.all(), metric, packet);
        return lane != null && lane.offer(packet);
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
