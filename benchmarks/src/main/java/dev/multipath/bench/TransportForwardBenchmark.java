package dev.multipath.bench;

import dev.multipath.api.Link;
import dev.multipath.api.Transport;
import dev.multipath.transport.rawip.RawIpTransport;
import dev.multipath.transport.tcp.TcpTransport;
import dev.multipath.transport.udp.UdpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frames per second through a real link pair on loopback: one 1424-byte frame (a sealed 1400-byte packet) per
 * operation, sent with {@link Link#send} on the benchmark thread and received by the transport's own receive thread,
 * which copies it out (as the engine does) and counts it. At most {@value #WINDOW} frames are in flight, so the
 * score is frames delivered per second, not frames thrown at a full socket buffer. A frame the kernel dropped (UDP
 * and raw IP may drop under overload) is written off after {@value #LOSS_TIMEOUT_MILLIS} ms without progress and
 * counted in {@link #lost}, printed at the end of the trial.
 *
 * <p>{@code rawip} needs root or CAP_NET_RAW (it sends protocol 253 from 127.0.0.1 to 127.0.0.2, both on the
 * loopback device); without it the trial fails with a message and the others still run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TransportForwardBenchmark {

    static final int WINDOW = 64;
    static final long LOSS_TIMEOUT_MILLIS = 200;
    private static final int FRAME = 1424;

    @Param({"tcp", "udp", "rawip"})
    public String transport;

    private Transport listener;
    private Transport connector;
    private final CountingSink received = new CountingSink();
    private final CountingSink clientSide = new CountingSink();
    private Link link;
    private final ByteBuffer frame = ByteBuffer.allocate(FRAME);
    private long sent;
    private long lost;
    private long linkRefused;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        switch (transport) {
            case "tcp": {
                TcpTransport l = TcpTransport.listen(new InetSocketAddress(lo, 0));
                l.start(received);
                listener = l;
                connector = TcpTransport.connect(null, l.localAddress());
                break;
            }
            case "udp": {
                UdpTransport l = UdpTransport.listen(new InetSocketAddress(lo, 0));
                l.start(received);
                listener = l;
                connector = UdpTransport.connect(new InetSocketAddress(lo, 0), l.localAddress());
                break;
            }
            case "rawip": {
                InetAddress peer = InetAddress.getByName("127.0.0.2");
                listener = RawIpTransport.listen(peer, RawIpTransport.DEFAULT_PROTOCOL);
                try {
                    listener.start(received);
                } catch (IOException e) {
                    listener = null;
                    throw new IllegalStateException("raw IP skipped (needs root or CAP_NET_RAW): " + e.getMessage(),
                            e);
                }
                connector = RawIpTransport.connect(lo, peer, RawIpTransport.DEFAULT_PROTOCOL);
                break;
            }
            default:
                throw new IllegalArgumentException("unknown transport " + transport);
        }
        connector.start(clientSide);
        link = clientSide.awaitLink(10);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        System.out.printf("%n%s: %d frames sent, %d received, %d written off as lost, %d refused by the link%n",
                transport, sent, received.frames(), lost, linkRefused);
        if (connector != null) {
            connector.close();
        }
        if (listener != null) {
            listener.close();
        }
    }

    @Benchmark
    public long forward() throws IOException {
        long waitStart = 0;
        long seen = received.frames();
        while (sent - lost - seen >= WINDOW) {
            long now = System.nanoTime();
            if (waitStart == 0) {
                waitStart = now;
            } else if (now - waitStart > TimeUnit.MILLISECONDS.toNanos(LOSS_TIMEOUT_MILLIS)) {
                lost += sent - lost - seen; // no progress: the kernel dropped what is outstanding
                break;
            }
            Thread.yield();
            long s = received.frames();
            if (s != seen) {
                seen = s;
                waitStart = 0;
            }
        }
        frame.clear();
        if (link.send(frame)) {
            sent++;
        } else {
            linkRefused++;
        }
        return sent;
    }
}
