package dev.multipath.sched;

import dev.multipath.api.PathView;
import dev.multipath.buffer.Packet;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;

/**
 * Per-path queues for schedulers that choose a path when a packet arrives (push model): adding and removing paths
 * (copy on write), polling, and moving a dead path's packets to the others. The choosing is the caller's.
 */
final class Lanes {

    /** One path's queue and the bytes in it. */
    static final class Lane {
        final PathView path;
        final MpscVarHandleArrayQueue<Packet> queue;
        final AtomicLong queuedBytes = new AtomicLong();
        /** Scratch for the choosing scheduler (written only by the source reader thread). */
        long weight;

        Lane(PathView path, int capacity) {
            this.path = path;
            this.queue = new MpscVarHandleArrayQueue<>(capacity);
        }

        boolean offer(Packet p) {
            if (!queue.offer(p)) {
                return false;
            }
            queuedBytes.addAndGet(p.length());
            return true;
        }

        Packet poll() {
            Packet p = queue.poll();
            if (p != null) {
                queuedBytes.addAndGet(-p.length());
            }
            return p;
        }
    }

    private final int capacity;
    private volatile Lane[] lanes = new Lane[0];
    private volatile Consumer<Packet> dropSink = p -> { };

    Lanes(int capacity) {
        this.capacity = capacity;
    }

    Lane[] all() {
        return lanes;
    }

    synchronized void add(PathView path) {
        Lane[] a = Arrays.copyOf(lanes, lanes.length + 1);
        a[a.length - 1] = new Lane(path, capacity);
        lanes = a;
    }

    synchronized void remove(PathView path) {
        lanes = Arrays.stream(lanes).filter(l -> l.path != path).toArray(Lane[]::new);
    }

    Lane of(PathView path) {
        for (Lane l : lanes) {
            if (l.path == path) {
                return l;
            }
        }
        return null;
    }

    void setDropSink(Consumer<Packet> sink) {
        this.dropSink = sink;
    }

    /** Lowest metric among usable paths, or Integer.MAX_VALUE. */
    int lowestUsableMetric() {
        int best = Integer.MAX_VALUE;
        for (Lane l : lanes) {
            if (l.path.isUsable() && l.path.metric() < best) {
                best = l.path.metric();
            }
        }
        return best;
    }

    /**
     * The next packet for {@code path}; when the path is not usable, its queue is handed back to {@code reoffer} (and
     * what that refuses to the drop sink) and null is returned.
     */
    Packet poll(PathView path, java.util.function.Predicate<Packet> reoffer) {
        Lane l = of(path);
        if (l == null) {
            return null;
        }
        if (!path.isUsable()) {
            Packet p;
            while ((p = l.poll()) != null) {
                if (!reoffer.test(p)) {
                    dropSink.accept(p);
                }
            }
            return null;
        }
        return l.poll();
    }

    boolean hasWork(PathView path) {
        Lane l = of(path);
        return l != null && !l.queue.isEmpty();
    }

    int queuedPackets() {
        int n = 0;
        for (Lane l : lanes) {
            n += l.queue.size();
        }
        return n;
    }

    void drainTo(Consumer<Packet> sink) {
        for (Lane l : lanes) {
            Packet p;
            while ((p = l.poll()) != null) {
                sink.accept(p);
            }
        }
    }
}
