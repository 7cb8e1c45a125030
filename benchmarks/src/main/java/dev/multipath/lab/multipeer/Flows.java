package dev.multipath.lab.multipeer;

import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfJson;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several iperf3 TCP flows at once, one per site, between each site's client and the one server: a one-off server
 * per flow on its own port ({@code -s -1 -J -i 0.5}), then every client at the same moment with the lab's usual
 * options ({@code -J -i 0.5 --get-server-output -C cc}, {@code -R} for inbound), parsed by {@link IperfJson} (so the
 * intervals are the receiver's, as in every other lab figure). Not thread-safe.
 */
public final class Flows implements AutoCloseable {
    private static final int BASE_PORT = 5300;
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final MultiPeerTopology topo;
    private final Map<Integer, ProcessGroup.Started> servers = new LinkedHashMap<>();
    private final Map<Integer, ProcessGroup.Started> clients = new LinkedHashMap<>();
    private final Map<Integer, Boolean> reverse = new LinkedHashMap<>();
    private int seconds;
    private long startedNanos;

    private Flows(MultiPeerTopology topo) {
        this.topo = topo;
    }

    /** The port of site k's flow. */
    public static int port(int k) {
        return BASE_PORT + k;
    }

    /**
     * Starts one flow of {@code seconds} per site in {@code sites} at once ({@code inbound}: server to client) and
     * returns without waiting; {@link #await()} collects them.
     */
    public static Flows start(MultiPeerTopology topo, List<Integer> sites, boolean inbound, int seconds, String cc) {
        if (dev.multipath.lab.Cleanup.shuttingDown()) {
            throw new LabException("shutting down");
        }
        Flows f = new Flows(topo);
        f.seconds = seconds;
        try {
            int n = SEQ.incrementAndGet();
            for (int k : sites) {
                f.servers.put(k, topo.start("iperf3-server-" + n + "-" + k, topo.serverNs(), List.of("iperf3", "-s",
                        "-1", "-J", "-i", "0.5", "-p", Integer.toString(port(k)))));
            }
            for (Map.Entry<Integer, ProcessGroup.Started> e : f.servers.entrySet()) {
                awaitListening(topo, e.getValue(), port(e.getKey()));
            }
            f.startedNanos = System.nanoTime();
            for (int k : sites) {
                List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", MultiPeerTopology.serverIp(), "-p",
                        Integer.toString(port(k)), "-t", Integer.toString(seconds), "-i", "0.5", "-J",
                        "--get-server-output", "--connect-timeout", "5000", "-C", cc));
                if (inbound) {
                    cmd.add("-R");
                }
                f.reverse.put(k, inbound);
                f.clients.put(k, topo.start("iperf3-client-" + n + "-" + k, topo.clientNs(k), cmd));
            }
            return f;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    /** When the clients were started ({@link System#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    /** Stops site k's flow now (its result will be an error). */
    public void kill(int k) {
        ProcessGroup.Started c = clients.get(k);
        if (c != null) {
            ProcessGroup.stop(c, 500);
        }
        ProcessGroup.Started s = servers.get(k);
        if (s != null) {
            ProcessGroup.stop(s, 500);
        }
    }

    /**
     * Waits for every flow (at most its length + 20 s; a flow still running then is stopped) and returns each site's
     * result; a flow iperf3 reports as failed (or that was killed) has an error. Stops every process of these flows.
     */
    public Map<Integer, FlowResult> await() {
        try {
            return await(clients.keySet());
        } finally {
            close();
        }
    }

    /** Like {@link #await()} for the flows of {@code sites} only, leaving the others running. */
    public Map<Integer, FlowResult> await(java.util.Collection<Integer> sites) {
        Map<Integer, FlowResult> out = new LinkedHashMap<>();
        long deadline = startedNanos + TimeUnit.SECONDS.toNanos(seconds + 20L);
        try {
            for (int k : List.copyOf(sites)) {
                ProcessGroup.Started c = clients.get(k);
                long left = Math.max(0, deadline - System.nanoTime());
                if (!c.process().waitFor(left, TimeUnit.NANOSECONDS)) {
                    ProcessGroup.stop(c, 1000);
                    out.put(k, new FlowResult(0, new double[0], 0.5, Double.NaN, -1,
                            "iperf3 client did not finish in time"));
                    continue;
                }
                String log = Files.readString(c.log());
                int a = log.indexOf('{');
                int b = log.lastIndexOf('}');
                FlowResult r = IperfJson.parse(a >= 0 && b > a ? log.substring(a, b + 1) : "", reverse.get(k));
                if (r.completed() && c.process().exitValue() != 0) {
                    r = new FlowResult(r.goodputMbit(), r.intervalsMbit(), r.intervalSec(), r.meanRttMs(),
                            r.retransmits(), "iperf3 exited " + c.process().exitValue());
                }
                out.put(k, r);
            }
            return out;
        } catch (IOException e) {
            throw new LabException("cannot read iperf3 output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted during iperf3 flows", e);
        }
    }

    private static void awaitListening(MultiPeerTopology topo, ProcessGroup.Started server, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Shell.Result r = Shell.tryRun("ip", "netns", "exec", topo.serverNs(), "ss", "-Hltn", "sport = :" + port);
            if (r.ok() && !r.stdout().isBlank()) {
                return;
            }
            if (!server.process().isAlive()) {
                throw new LabException("iperf3 server exited: " + server.logTail(500));
            }
            MultiPeerPortals.sleep(50);
        }
        throw new LabException("iperf3 server not listening after 5 s: " + server.logTail(500));
    }

    /** Stops whatever of these flows still runs. */
    @Override
    public void close() {
        for (ProcessGroup.Started c : clients.values()) {
            ProcessGroup.stop(c, 500);
        }
        for (ProcessGroup.Started s : servers.values()) {
            ProcessGroup.stop(s, 500);
        }
    }
}
