package dev.multipath.bench;

import dev.multipath.buffer.Packet;
import dev.multipath.reorder.FlowReorderBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The receiver's per-flow reorder stage ({@link FlowReorderBuffer}) per packet (ns/op is per packet):
 * {@code inOrder} offers one flow's packets in order (each released at once); {@code inOrder64Flows} the same
 * round-robin over 64 flows; {@code reversedPairs} offers n+1 before n (one held, then both released);
 * {@code reversed16} offers blocks of 16 in reverse order (15 held, then all released in one drain). Buffer of 8192
 * packets (as in the runtime), 50 ms bound (never reached: nothing expires).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReorderBenchmark {

    private static final int BLOCK = 16;
    private static final int FLOWS = 64;

    private FlowReorderBuffer buffer;
    private final Packet[] packets = new Packet[BLOCK];
    private final int[] flowSeq = new int[FLOWS];
    private int seq;
    private long counter;
    private long now;
    private long released;
    private long dropped;
    private final Consumer<Packet> release = p -> released++;
    private final Consumer<Packet> drop = p -> dropped++;

    @Setup
    public void setUp() {
        buffer = new FlowReorderBuffer(8192, 50_000_000L);
        for (int i = 0; i < BLOCK; i++) {
            packets[i] = new Packet(1500);
            packets[i].setLength(1400);
        }
    }

    @Benchmark
    public long inOrder() {
        buffer.offer(packets[0], 7, seq++ & 0xff, counter++, now += 1000, release, drop);
        return released;
    }

    @Benchmark
    public long inOrder64Flows() {
        int flow = (int) (counter % FLOWS);
        buffer.offer(packets[0], flow * 61, flowSeq[flow]++ & 0xff, counter++, now += 1000, release, drop);
        return released;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long reversedPairs() {
        now += 2000;
        buffer.offer(packets[1], 7, (seq + 1) & 0xff, counter + 1, now, release, drop);
        buffer.offer(packets[0], 7, seq & 0xff, counter, now, release, drop);
        seq += 2;
        counter += 2;
        return released;
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public long reversed16() {
        now += 1000 * BLOCK;
        for (int i = BLOCK - 1; i >= 0; i--) {
            buffer.offer(packets[i], 7, (seq + i) & 0xff, counter + i, now, release, drop);
        }
        seq += BLOCK;
        counter += BLOCK;
        return released;
    }
}
