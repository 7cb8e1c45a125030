package dev.multipath.cc;

import java.util.PriorityQueue;

/** A discrete-event clock: events run in time order (ties in scheduling order). Deterministic. */
final class Sim {

    private record Event(long time, long seq, Runnable action) {
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private long seq;
    long now;

    void at(long time, Runnable action) {
        queue.add(new Event(Math.max(time, now), seq++, action));
    }

    void runUntil(long end) {
        while (!queue.isEmpty() && queue.peek().time <= end) {
            Event e = queue.poll();
            now = e.time;
            e.action.run();
        }
        now = end;
    }

    static long ms(double ms) {
        return (long) (ms * 1_000_000);
    }
}
