package dev.multipath.lab.measure;

import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one iperf3 TCP flow between the client and server namespaces of a {@link Topology}: a one-off server
 * ({@code -s -1}) in the server namespace, the client with {@code -J -i 0.5 --get-server-output -C cc}. Not
 * thread-safe: one flow at a time per topology.
 */
public final class IperfRunner {
    /** The iperf3 server port (TCP control and data, UDP data). */
    public static final int PORT = 5201;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Topology topo;
    /** TCP connections per flow ({@code -P}); results are their sum (iperf3's own "sum" records). */
    private final int parallel;

    public IperfRunner(Topology topo) {
        this(topo, 1);
    }

    /** Every TCP flow of this runner is {@code parallel} connections at once ({@code -P}), reported as their sum. */
    public IperfRunner(Topology topo, int parallel) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, not " + parallel);
        }
        this.topo = topo;
        this.parallel = parallel;
    }

    /**
     * Runs a TCP flow of {@code seconds}; {@code reverse} = inbound (server to client, {@code -R}). Blocks until the flow
     * ends. A flow iperf3 reports as failed comes back as a result with an error; a flow that cannot start at all
     * (server never listens) throws {@link LabException}.
     */
    public FlowResult run(boolean reverse, int seconds, String cc) {
        return run(reverse, seconds, cc, 0.5, () -> { });
    }

    /**
     * As {@link #run(boolean, int, String)} with receiver intervals of {@code intervalSec} (iperf3 accepts 0.1 and
     * up); {@code onClientStart} runs right after the client process is started (the flow begins a connection set-up
     * later), so that callers can time events against the flow.
     */
    public FlowResult run(boolean reverse, int seconds, String cc, double intervalSec, Runnable onClientStart) {
        String interval = fmtInterval(intervalSec);
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", topo.addressing().serverIp(), "-p",
                Integer.toString(PORT), "-t", Integer.toString(seconds), "-i", interval, "-J", "--get-server-output",
                "--connect-timeout", "5000", "-C", cc));
        if (parallel > 1) {
            cmd.add("-P");
            cmd.add(Integer.toString(parallel));
        }
        if (reverse) {
            cmd.add("-R");
        }
        String json = runClient(cmd, interval, seconds, onClientStart);
        if (json == null) {
            return new FlowResult(0, new double[0], intervalSec, Double.NaN, -1, "iperf3 client did not finish in time");
        }
        return IperfJson.parse(jsonPart(json), reverse);
    }

    /**
     * One iperf3 UDP stream ({@code -u -b bitrate -l lengthBytes}), client to server or reversed; the result counts
     * the receiver's lost datagrams.
     */
    public UdpResult runUdp(boolean reverse, int seconds, String bitrate, int lengthBytes) {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", topo.addressing().serverIp(), "-p",
                Integer.toString(PORT), "-u", "-b", bitrate, "-l", Integer.toString(lengthBytes), "-t",
                Integer.toString(seconds), "-i", "0.5", "-J", "--get-server-output", "--connect-timeout", "5000"));
        if (reverse) {
            cmd.add("-R");
        }
        String json = runClient(cmd, "0.5", seconds, () -> { });
        if (json == null) {
            return UdpResult.failed("iperf3 client did not finish in time");
        }
        return UdpResult.parse(jsonPart(json));
    }

    /** Starts a one-off server, runs the client to its end; returns the client's log, or null on a timeout. */
    private String runClient(List<String> cmd, String interval, int seconds, Runnable onClientStart) {
        if (dev.multipath.lab.Cleanup.shuttingDown()) {
            throw new LabException("shutting down");
        }
        int n = SEQ.incrementAndGet();
        ProcessGroup.Started server = topo.start("iperf3-server-" + n, topo.serverNs(),
                // -J on the server too: --get-server-output then carries the server's JSON (its intervals are the
                // receiver's for outbound flows, and its sender stats hold the RTT of inbound flows).
                List.of("iperf3", "-s", "-1", "-J", "-i", interval, "-p", Integer.toString(PORT)));
        try {
            awaitListening(server);
            ProcessGroup.Started client = topo.start("iperf3-client-" + n, topo.clientNs(), cmd);
            onClientStart.run();
            Process p = client.process();
            if (!p.waitFor(seconds + 20L, TimeUnit.SECONDS)) {
                ProcessGroup.stop(client, 1000);
                return null;
            }
            return Files.readString(client.log());
        } catch (IOException e) {
            throw new LabException("cannot read iperf3 output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted during an iperf3 flow", e);
        } finally {
            ProcessGroup.stop(server, 500);
        }
    }

    private static String fmtInterval(double sec) {
        return sec == Math.rint(sec) ? Long.toString((long) sec) : String.format(java.util.Locale.ROOT, "%.1f", sec);
    }

    /** The JSON object in the log (stderr is merged into it; warnings may precede the document). */
    private static String jsonPart(String log) {
        int start = log.indexOf('{');
        int end = log.lastIndexOf('}');
        return start >= 0 && end > start ? log.substring(start, end + 1) : "";
    }

    private void awaitListening(ProcessGroup.Started server) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Shell.Result r = Shell.tryRun("ip", "netns", "exec", topo.serverNs(), "ss", "-Hltn", "sport = :" + PORT);
            if (r.ok() && !r.stdout().isBlank()) {
                return;
            }
            if (!server.process().isAlive()) {
                throw new LabException("iperf3 server exited: " + server.logTail(500));
            }
            sleep(50);
        }
        throw new LabException("iperf3 server not listening after 5 s: " + server.logTail(500));
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }
}
