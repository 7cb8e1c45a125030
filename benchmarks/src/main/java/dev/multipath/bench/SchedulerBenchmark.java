package dev.multipath.bench;

import dev.multipath.api.PathView;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import dev.multipath.sched.EarliestArrivalScheduler;
import dev.multipath.sched.GreedyScheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One scheduling decision per 1400-byte packet: {@code offer} then {@code poll} by the path that got it (the other
 * paths' polls, which return null, are part of the cost, as a sender that finds nothing pays it too). Paths report
 * fixed estimates: path 0 100 Mbit/s, 20 ms; path 1 40 Mbit/s, 40 ms; with {@code ratesKnown=false} both report
 * nothing yet (the earliest-arrival scheduler then joins the shortest queue). Single-threaded: this measures the
 * decision and the queue operations, not contention between sender threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerBenchmark {

    @Param({"greedy", "earliest-arrival"})
    public String scheduler;

    @Param({"1", "2"})
    public int paths;

    @Param({"true"})
    public boolean ratesKnown;

    private Scheduler sched;
    private PathView[] views;
    private final Packet packet = new Packet(1500);

    @Setup
    public void setUp() {
        sched = "greedy".equals(scheduler) ? new GreedyScheduler() : new EarliestArrivalScheduler();
        views = new PathView[paths];
        for (int i = 0; i < paths; i++) {
            long rtt = ratesKnown ? 20_000_000L * (i + 1) : 0;
            long rate = ratesKnown ? (i == 0 ? 12_500_000L : 5_000_000L) : 0;
            views[i] = new BenchPath(i, rtt, rate);
            sched.addPath(views[i]);
        }
        packet.setLength(1400);
    }

    @Benchmark
    public Packet offerPoll() {
        if (!sched.offer(packet)) {
            throw new IllegalStateException("scheduler refused a packet");
        }
        for (PathView v : views) {
            Packet p = sched.poll(v);
            if (p != null) {
                return p;
            }
        }
        throw new IllegalStateException("no path polled the packet");
    }
}
