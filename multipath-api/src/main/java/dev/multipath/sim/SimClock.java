package dev.multipath.sim;

import java.util.PriorityQueue;

/**
 * Simulated time and the events scheduled in it. Single-threaded and deterministic: events at the same time run
 * in the order they were scheduled.
 */
public final class SimClock {

    private record Event(long at, long seq, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long now;
    private long seq;

    /** Current simulated time in nanoseconds. */
    long now() {
        return now;
    }

    /** Runs {@code action} at absolute time {@code at} (not before now). */
    public void at(long at, Runnable action) {
        events.add(new Event(Math.max(at, now), seq++, action));
    }

    /** Runs {@code action} {@code delay} nanoseconds from now. */
    void after(long delay, Runnable action) {
        at(now + delay, action);
    }

    /** Runs events in time order until none is left before {@code end}; time then stands at {@code end}. */
    void runUntil(long end) {
        while (!events.isEmpty() && events.peek().at <= end) {
            Event e = events.poll();
            now = e.at;
            e.action.run();
        }
        now = Math.max(now, end);
    }
}
