package dev.multipath.tun;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The TUN offload's own cost per TCP segment (MTU 1448: 1396-byte payload, timestamps option): {@code cut} splits a
 * 46-segment super-packet from a direct buffer (the device's read buffer) into heap buffers, with both checksums;
 * {@code join} appends the same 46 segments to a pending super-packet in a direct buffer and finishes it. What a
 * system call per segment costs on this machine is the comparison (several microseconds: docs/performance.md).
 * Lives in the TUN package because the classes it measures are package-private. Nothing here should allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TunOffloadBenchmark {
    private static final int SEGMENTS = 46;
    private static final int MSS = 1396;
    private static final int HEADERS = 20 + 32;

    private final ByteBuffer superPacket = ByteBuffer.allocateDirect(65536);
    private final ByteBuffer[] segments = new ByteBuffer[SEGMENTS];
    private final ByteBuffer segmentOut = ByteBuffer.allocate(1600);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(65536 + VirtioNetHeader.LENGTH);
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final TcpCoalescer coalescer = new TcpCoalescer(writeBuffer, VirtioNetHeader.LENGTH);
    private int length;

    @Setup
    public void setUp() {
        length = HEADERS + SEGMENTS * MSS;
        ByteBuffer b = superPacket;
        b.put(0, (byte) 0x45);
        b.putShort(2, (short) length);
        b.putShort(4, (short) 4242);
        b.putShort(6, (short) 0x4000);
        b.put(8, (byte) 64);
        b.put(9, (byte) 6);
        b.putInt(12, 0x0a000001);
        b.putInt(16, 0x0a000002);
        b.putShort(20, (short) 40000);
        b.putShort(22, (short) 5201);
        b.putInt(24, 1_000_000);
        b.putInt(28, 77);
        b.put(32, (byte) (8 << 4));
        b.put(33, (byte) 0x10);
        b.putShort(34, (short) 500);
        b.putInt(40, 0x0101080a); // NOP NOP timestamps
        for (int i = HEADERS; i < length; i++) {
            b.put(i, (byte) (i * 31));
        }
        segmenter.start(superPacket, 0, length, MSS, 20);
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = ByteBuffer.allocate(1600);
            int n = segmenter.next(segments[i]);
            segments[i].flip();
            if (n != HEADERS + MSS) {
                throw new IllegalStateException("segment " + i + ": " + n);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public int cut() {
        segmenter.start(superPacket, 0, length, MSS, 20);
        int sum = 0;
        while (segmenter.hasNext()) {
            segmentOut.clear();
            sum += segmenter.next(segmentOut);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(SEGMENTS)
    public int join() {
        coalescer.start(segments[0], 0, segments[0].limit());
        for (int i = 1; i < SEGMENTS; i++) {
            coalescer.append(segments[i], 0, segments[i].limit());
        }
        return coalescer.finish(0);
    }
}
