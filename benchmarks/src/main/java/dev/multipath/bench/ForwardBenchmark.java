package dev.multipath.bench;

import dev.multipath.api.Authenticator;
import dev.multipath.api.Role;
import dev.multipath.api.Scheduler;
import dev.multipath.buffer.Packet;
import dev.multipath.cc.PathController;
import dev.multipath.cc.PathControllerConfig;
import dev.multipath.engine.ControlOutput;
import dev.multipath.engine.EnginePath;
import dev.multipath.engine.InboundAction;
import dev.multipath.engine.PacketPool;
import dev.multipath.engine.PortalCore;
import dev.multipath.frame.FrameHeader;
import dev.multipath.reorder.FlowReorderBuffer;
import dev.multipath.sched.EarliestArrivalScheduler;
import dev.multipath.sched.GreedyScheduler;
import dev.multipath.sim.TestPackets;
import dev.multipath.stats.DropCounters;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * A whole forward of one 1400-byte IP packet through two {@link PortalCore}s in one thread (sans-IO), doing what the
 * threaded runtime does on a datagram path, minus the threads, queues between them and sockets:
 * <ol>
 *   <li>"TUN read": a pooled packet gets the 1400 bytes (one copy);</li>
 *   <li>local core: {@code onSourcePacket} (inner check, scheduler offer), scheduler {@code poll},
 *       {@code canSend} (asked, not obeyed), {@code sealData} (header + AEAD), {@code onFrameSent};</li>
 *   <li>"transport": the frame is copied into a packet of the remote portal's pool (one copy);</li>
 *   <li>remote core: {@code onFrame} (header check, open, replay window, path stats, ack generation: every second
 *       frame an ACK is sealed and handed back), per-flow reorder buffer, "TUN write" (one copy), packet recycled;</li>
 *   <li>ACKs go back the same way and the local core applies them ({@code onAckFrame}).</li>
 * </ol>
 * {@code forward} is all of it. {@code sealFrameSchedule} is the "seal + frame + schedule" cost of the sender: step 1
 * and step 2 without the congestion-control calls (measured by CongestionBenchmark; without ACKs coming back they
 * would declare the path dead after 300 ms).
 * Both should allocate nothing apart from the JCE's AES-GCM (see docs/security.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ForwardBenchmark {

    private static final int PACKET = 1400;
    /**
     * How long a path may go unanswered before it is declared dead: a minute instead of 300 ms, so that the benchmark
     * thread being descheduled for a while on a loaded machine does not look like a silent path. (The wall clock is
     * kept, as the runtime uses it: a simulated one changes the measured RTT and with it the ACK rate.)
     */
    private static final long DEAD_AFTER_NANOS = 60_000_000_000L;

    @Param({"none", "AUTHENTICATE", "ENCRYPT"})
    public String auth;

    @Param({"greedy", "earliest-arrival"})
    public String scheduler;

    /** AES-GCM implementation (ignored when auth is none). */
    @Param({"openssl", "jce"})
    public String aead;

    /**
     * Paths of the local portal: "1"; "2-down", a second path without a link; "2", a second path that is usable, so
     * each data packet is also copied for a rescue should its path fall silent (decision 36). The benchmark polls the
     * first path only, so every packet still goes on it.
     */
    @Param({"1", "2-down", "2"})
    public String paths;

    private final byte[] ipPacket = TestPackets.ipv4Udp(1, 1000, 2000, 0, PACKET);
    private final byte[] tunOut = new byte[2048];
    private final Outbox toLocal = new Outbox();
    private final Outbox toRemote = new Outbox();
    private final BenchLink localLink = new BenchLink(false);
    private final BenchLink remoteLink = new BenchLink(false);
    private PacketPool localPool;
    private PacketPool remotePool;
    private PortalCore local;
    private PortalCore remote;
    private EnginePath path;
    private PathController controller;
    private FlowReorderBuffer reorder;
    private Consumer<Packet> writeToTun;
    private Consumer<Packet> recycle;
    private long delivered;
    private long duplicates;
    /** Whether {@link #forward} ran (the teardown check then expects deliveries). */
    private boolean forwarded;
    private long acks;

    /** Control frames one core hands out, kept until the benchmark carries them to the other core. */
    private static final class Outbox implements ControlOutput {
        final Packet[] frames = new Packet[64];
        int count;

        @Override
        public void send(EnginePath path, Packet frame) {
            frames[count++] = frame;
        }

        @Override
        public void wake(EnginePath path) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Authenticator[] auths = BenchAuth.pair(auth, aead);
        PathControllerConfig d = PathControllerConfig.defaults();
        PathControllerConfig cc = d.withHealth(d.probeIntervalNanos(), d.idleProbeIntervalNanos(), DEAD_AFTER_NANOS,
                d.deadProbeIntervalNanos());
        localPool = new PacketPool(1024, 1564);
        remotePool = new PacketPool(1024, 1564);
        local = new PortalCore(Role.LOCAL, newScheduler(), auths[0], new DropCounters(), p -> { }, localPool,
                toRemote, cc);
        remote = new PortalCore(Role.REMOTE, newScheduler(), auths[1], new DropCounters(), p -> { }, remotePool,
                toLocal, cc);
        long now = System.nanoTime();
        path = local.addPath("bench", 0, now);
        local.onLinkUp(path, localLink);
        if (!"1".equals(paths)) {
            EnginePath spare = local.addPath("spare", 0, now);
            if ("2".equals(paths)) {
                local.onLinkUp(spare, new BenchLink(false));
            }
        }
        controller = path.controller();
        reorder = new FlowReorderBuffer(8192, 2_000_000L);
        writeToTun = p -> {
            System.arraycopy(p.data(), Packet.PAYLOAD_OFFSET, tunOut, 0, p.length());
            delivered++;
            remotePool.release(p);
        };
        recycle = p -> {
            duplicates++;
            remotePool.release(p);
        };
    }

    private Scheduler newScheduler() {
        return "greedy".equals(scheduler) ? new GreedyScheduler() : new EarliestArrivalScheduler();
    }

    @TearDown(Level.Trial)
    public void check() {
        if (forwarded) {
            System.out.printf("%n%d packets delivered, %d ACK frames carried back (%.2f per packet)%n", delivered, acks,
                    delivered == 0 ? 0.0 : (double) acks / delivered);
        }
        long drops = local.drops().total() + remote.drops().total();
        if (drops > 0 || duplicates > 0 || forwarded && delivered == 0) {
            throw new IllegalStateException("forward dropped packets: local " + local.drops().nonZero()
                    + ", remote " + remote.drops().nonZero() + ", duplicates " + duplicates
                    + ", delivered " + delivered);
        }
    }

    @Benchmark
    public int sealFrameSchedule() {
        long now = System.nanoTime();
        Packet p = schedule(now);
        int n = local.sealData(path, p, now);
        localPool.release(p);
        return n;
    }

    @Benchmark
    public long forward() {
        forwarded = true;
        long now = System.nanoTime();
        Packet p = sealOne(now);
        int n = p.frameLength();
        long counter = FrameHeader.counter(p.data(), 0);
        Packet r = carry(p, remotePool);
        if (remote.onFrame(remoteLink, null, r, n, now) == InboundAction.DELIVER) {
            reorder.offer(r, PortalCore.flowBucket(r), FrameHeader.flowSequence(r.data(), 0), counter, now,
                    writeToTun, recycle);
        } else {
            remotePool.release(r);
        }
        acks += toLocal.count;
        for (int i = 0; i < toLocal.count; i++) {
            Packet ack = carry(toLocal.frames[i], localPool);
            local.onFrame(localLink, path, ack, ack.frameLength(), now);
            localPool.release(ack);
        }
        toLocal.count = 0;
        for (int i = 0; i < toRemote.count; i++) {
            Packet c = carry(toRemote.frames[i], remotePool);
            remote.onFrame(remoteLink, null, c, c.frameLength(), now);
            remotePool.release(c);
        }
        toRemote.count = 0;
        return delivered;
    }

    /** A packet read from the "TUN" and queued with the scheduler; returns what the path's sender polls. */
    private Packet schedule(long now) {
        Packet p = localPool.acquire();
        System.arraycopy(ipPacket, 0, p.data(), Packet.PAYLOAD_OFFSET, PACKET);
        p.setLength(PACKET);
        p.setTimeNanos(now);
        if (!local.onSourcePacket(p)) {
            throw new IllegalStateException("source packet refused: " + local.drops().nonZero());
        }
        return local.scheduler().poll(path);
    }

    /** Steps 1-2: a packet read, scheduled, sealed and counted by congestion control; returns it holding the frame. */
    private Packet sealOne(long now) {
        controller.canSend(now, local.maxDataFrame());
        Packet q = schedule(now);
        int n = local.sealData(path, q, now);
        controller.onFrameSent(FrameHeader.counter(q.data(), 0), n, now);
        return q;
    }

    /** What a transport does: the frame's bytes copied into a packet of the receiving portal; the sender's recycled. */
    private Packet carry(Packet frame, PacketPool to) {
        Packet r = to.acquire();
        int n = frame.frameLength();
        System.arraycopy(frame.data(), 0, r.data(), 0, n);
        r.setFrameLength(n);
        (to == localPool ? remotePool : localPool).release(frame);
        return r;
    }
}
