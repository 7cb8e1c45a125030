package dev.multipath.bench;

import dev.multipath.cc.AckCodec;
import dev.multipath.cc.PathController;
import dev.multipath.cc.PathControllerConfig;
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
 * Congestion-control bookkeeping per 1424-byte DATA frame (a 1400-byte packet, header and tag), both ends of one
 * path in simulated time: the sender's {@code canSend} and {@code onFrameSent}; the receiver's
 * {@code onFrameReceived}, {@code ackDue} and, every second frame, {@code writeAck}; the ACK reaches the sender
 * one RTT (2 ms) later and is applied with {@code onAckFrame}. One frame every 10 us (1.1 Gbit/s), no loss.
 * {@code canSend} is asked but not obeyed, so the frame rate stays fixed whatever the controller thinks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CongestionBenchmark {

    private static final int FRAME = 1424;
    private static final long FRAME_INTERVAL_NANOS = 10_000;
    private static final long RTT_NANOS = 2_000_000;
    private static final int ACK_RING = 1024;

    @Param({"bbr", "cubic"})
    public String controller;

    private PathController sender;
    private PathController receiver;
    private final byte[][] acks = new byte[ACK_RING][AckCodec.MAX_LENGTH];
    private final int[] ackLength = new int[ACK_RING];
    private final long[] ackArrival = new long[ACK_RING];
    private long ackHead;
    private long ackTail;
    private long counter;
    private long now;

    @Setup
    public void setUp() {
        PathControllerConfig config = PathControllerConfig.defaults().withController(controller);
        now = 1_000_000_000L;
        sender = new PathController(0, config, now);
        receiver = new PathController(0, config, now);
    }

    @Benchmark
    public boolean frame() {
        now += FRAME_INTERVAL_NANOS;
        while (ackHead < ackTail && ackArrival[(int) (ackHead % ACK_RING)] <= now) {
            int i = (int) (ackHead++ % ACK_RING);
            sender.onAckFrame(acks[i], 0, ackLength[i], now);
        }
        boolean allowed = sender.canSend(now, FRAME);
        sender.onFrameSent(counter, FRAME, now);
        receiver.onFrameReceived(counter, FRAME, now);
        counter++;
        if (receiver.ackDue(now) && ackTail - ackHead < ACK_RING) {
            int i = (int) (ackTail % ACK_RING);
            int n = receiver.writeAck(acks[i], 0, now);
            if (n > 0) {
                ackLength[i] = n;
                ackArrival[i] = now + RTT_NANOS;
                ackTail++;
            }
        }
        return allowed;
    }
}
