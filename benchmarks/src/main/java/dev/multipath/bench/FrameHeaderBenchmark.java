package dev.multipath.bench;

import dev.multipath.buffer.Packet;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import dev.multipath.frame.InnerPacket;
import dev.multipath.sim.TestPackets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Frame header cost per 1400-byte packet: {@code encode} writes a whole DATA header in place (what
 * {@code PortalCore.sealData} does before sealing); {@code decode} validates a received header and reads the fields
 * the receive path reads (type, path id, counter); {@code innerCheck} is the inner IP packet check made on both
 * sides. Nothing here should allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameHeaderBenchmark {

    private final Packet packet = new Packet(1500);
    private long counter;

    @Setup
    public void setUp() {
        byte[] ip = TestPackets.ipv4Udp(1, 1000, 2000, 0, 1400);
        System.arraycopy(ip, 0, packet.data(), Packet.PAYLOAD_OFFSET, ip.length);
        packet.setLength(ip.length);
        FrameHeader.write(packet.data(), 0, FrameType.DATA, 0, 3, 0x1234, 42, 777);
    }

    @Benchmark
    public byte encode() {
        byte[] d = packet.data();
        FrameHeader.write(d, 0, FrameType.DATA, 0, 3, 0x1234, counter++, (int) counter);
        return d[9];
    }

    @Benchmark
    public long decode() {
        byte[] d = packet.data();
        FrameType t = FrameHeader.validate(d, 0, FrameHeader.LENGTH + packet.length());
        return t == null ? -1 : FrameHeader.counter(d, 0) + FrameHeader.pathId(d, 0) + t.code();
    }

    @Benchmark
    public boolean innerCheck() {
        return InnerPacket.isWellFormed(packet.data(), Packet.PAYLOAD_OFFSET, packet.length());
    }
}
