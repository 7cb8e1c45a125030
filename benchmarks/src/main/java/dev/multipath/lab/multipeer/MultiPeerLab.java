package dev.multipath.lab.multipeer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.Stats;
import dev.multipath.lab.multipeer.MultiPeerResults.IsolationResult;
import dev.multipath.lab.multipeer.MultiPeerResults.PeerFlow;
import dev.multipath.lab.multipeer.MultiPeerResults.RemovalResult;
import dev.multipath.lab.multipeer.MultiPeerResults.SpoofResult;
import dev.multipath.lab.topo.LinkSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The many-local-portals experiment: {@code honest} sites (each a local portal with its own client and links) and
 * one spoofing site on one remote portal with a server behind it. Its phases are separate methods so the lab command
 * and the CI test run the same code with different lengths: every site's flow at once ({@link #concurrent}), a site
 * alone ({@link #solo}), the spoofer ({@link #spoof}), a flood from one site while others are measured
 * ({@link #isolation}), and removing a site by config reload mid-flow ({@link #removal}, which ends that site: run it
 * last). Not thread-safe.
 */
public final class MultiPeerLab implements AutoCloseable {
    private static final Pattern TRANSMITTED = Pattern.compile("(\\d+) packets transmitted");

    private final MultiPeerTopology topo;
    private final MultiPeerPortals portals;
    private final ServerCounters counters;
    private final int honest;
    private final int spoofer;

    private MultiPeerLab(MultiPeerTopology topo, MultiPeerPortals portals, ServerCounters counters, int honest) {
        this.topo = topo;
        this.portals = portals;
        this.counters = counters;
        this.honest = honest;
        this.spoofer = honest + 1;
    }

    /**
     * Builds the network and starts the portals: sites 1..{@code honest} named {@code site<k>} with {@code links}
     * each, then the spoofer (one link of the first link's shape) sending with site 1's client address.
     */
    public static MultiPeerLab start(int honest, List<LinkSpec> links, String transport, int readyTimeoutSeconds) {
        List<MultiPeerTopology.Site> sites = new ArrayList<>();
        for (int k = 1; k <= honest; k++) {
            sites.add(new MultiPeerTopology.Site("site" + k, links, 10 * k));
        }
        sites.add(new MultiPeerTopology.Site("spoof", List.of(links.get(0)), 10));
        MultiPeerTopology topo = MultiPeerTopology.create(sites);
        try {
            Set<Integer> ready = new HashSet<>();
            IntStream.rangeClosed(1, honest).forEach(ready::add);
            MultiPeerPortals portals = MultiPeerPortals.start(topo, transport, ready, readyTimeoutSeconds);
            ServerCounters counters = ServerCounters.install(topo, honest + 1, topo.clientIp(honest + 1));
            return new MultiPeerLab(topo, portals, counters, honest);
        } catch (RuntimeException e) {
            topo.close();
            throw e;
        }
    }

    public MultiPeerTopology topology() {
        return topo;
    }

    public MultiPeerPortals portals() {
        return portals;
    }

    public List<Integer> honestSites() {
        return IntStream.rangeClosed(1, honest).boxed().toList();
    }

    public String name(int k) {
        return topo.site(k).name();
    }

    public double linkSum(int k) {
        return topo.site(k).links().stream().mapToDouble(LinkSpec::rateMbit).sum();
    }

    /** The flows of {@code sites} at once, one direction; results in the order of {@code sites}. */
    public List<PeerFlow> concurrent(List<Integer> sites, boolean inbound, int seconds, String cc) {
        Map<Integer, FlowResult> r = Flows.start(topo, sites, inbound, seconds, cc).await();
        List<PeerFlow> out = new ArrayList<>();
        for (int k : sites) {
            out.add(flow(k, inbound, r.get(k)));
        }
        return out;
    }

    /** Site k's flow alone. */
    public PeerFlow solo(int k, boolean inbound, int seconds, String cc) {
        return concurrent(List.of(k), inbound, seconds, cc).get(0);
    }

    PeerFlow flow(int k, boolean inbound, FlowResult f) {
        double sum = linkSum(k);
        return new PeerFlow(name(k), inbound ? "inbound" : "outbound", sum, f.goodputMbit(), f.goodputMbit() / sum,
                f.intervalsMbit(), Double.isNaN(f.meanRttMs()) ? null : f.meanRttMs(), f.retransmits(), f.error());
    }

    /**
     * The spoofer's client, for {@code seconds}: pings the server 100 times a second and tries an iperf3 flow to
     * it, all with site 1's address as source, through its own authenticated session.
     */
    public SpoofResult spoof(int seconds) {
        int k = spoofer;
        String spoofName = name(k);
        JsonNode before = portals.status();
        long lpBefore = localStatus(k).path("packetsFromSource").asLong(0);
        Map<String, ServerCounters.Count> c0 = counters.read();
        ProcessGroup.Started server = topo.start("iperf3-server-spoof", topo.serverNs(),
                List.of("iperf3", "-s", "-1", "-p", Integer.toString(Flows.port(k))));
        ProcessGroup.Started ping = topo.start("ping-spoof", topo.clientNs(k), List.of("ping", "-q", "-i", "0.01",
                "-s", "1000", "-w", Integer.toString(seconds), MultiPeerTopology.serverIp()));
        ProcessGroup.Started iperf = topo.start("iperf3-client-spoof", topo.clientNs(k), List.of("iperf3", "-c",
                MultiPeerTopology.serverIp(), "-p", Integer.toString(Flows.port(k)), "-t", Integer.toString(seconds),
                "--connect-timeout", Integer.toString(Math.max(1000, (seconds - 1) * 1000))));
        String iperfError;
        long pings;
        try {
            if (!ping.process().waitFor(seconds + 5L, TimeUnit.SECONDS)) {
                throw new LabException("spoofer's ping did not end");
            }
            if (!iperf.process().waitFor(seconds + 10L, TimeUnit.SECONDS)) {
                ProcessGroup.stop(iperf, 500);
            }
            iperfError = iperf.process().exitValue() == 0 ? null : lastLine(iperf.logTail(400));
            Matcher m = TRANSMITTED.matcher(ping.logTail(2000));
            pings = m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        } finally {
            ProcessGroup.stop(ping, 500);
            ProcessGroup.stop(iperf, 500);
            ProcessGroup.stop(server, 500);
        }
        MultiPeerPortals.sleep(300); // frames still in flight
        Map<String, ServerCounters.Count> c1 = counters.read();
        JsonNode after = portals.status();
        JsonNode peer = MultiPeerPortals.peer(after, spoofName);
        JsonNode peerBefore = MultiPeerPortals.peer(before, spoofName);
        ServerCounters.Count got = c1.get("spooftcp").minus(c0.get("spooftcp"));
        ServerCounters.Count pinged = c1.get("spoofping").minus(c0.get("spoofping"));
        return new SpoofResult(spoofName, topo.clientIp(k), seconds,
                peer != null && peer.path("sessionEstablished").asBoolean(false),
                localStatus(k).path("packetsFromSource").asLong(0) - lpBefore, pings, iperfError,
                got.packets() + pinged.packets(), got.bytes() + pinged.bytes(),
                MultiPeerPortals.drops(after, "source_not_allowed") - MultiPeerPortals.drops(before,
                        "source_not_allowed"),
                (peer == null ? 0 : peer.path("packetsToSource").asLong(0))
                        - (peerBefore == null ? 0 : peerBefore.path("packetsToSource").asLong(0)));
    }

    private JsonNode localStatus(int k) {
        return MultiPeerPortals.query("/run/multipath/" + topo.id() + "-l" + k + ".sock", "status json");
    }

    /**
     * For a failure report: site {@code k}'s local portal status (its paths, their state, RTT, rate, congestion)
     * and the remote portal's block for that peer, as one line of JSON each; the error instead if a query fails.
     */
    public String diagnostics(int k) {
        StringBuilder b = new StringBuilder();
        try {
            b.append(name(k)).append(" local: ").append(localStatus(k).toString());
        } catch (RuntimeException e) {
            b.append(name(k)).append(" local: ").append(e.getMessage());
        }
        try {
            JsonNode peer = MultiPeerPortals.peer(portals.status(), name(k));
            b.append("\n").append(name(k)).append(" at the remote: ").append(peer);
        } catch (RuntimeException e) {
            b.append("\n").append(name(k)).append(" at the remote: ").append(e.getMessage());
        }
        return b.toString();
    }

    private static String lastLine(String log) {
        String[] lines = log.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /**
     * The flows of {@code measured} at once, outbound, {@code runs} times without and with a flood of 1-byte UDP
     * datagrams (alternately, so the machine's other load hits both alike) from site {@code flooder}'s local portal
     * namespace at the remote portal's listening port, on each of its links (niced, so the flooder's own CPU comes
     * last on this shared machine).
     */
    public IsolationResult isolation(int flooder, List<Integer> measured, int runs, int seconds, String cc) {
        List<PeerFlow> without = new ArrayList<>();
        List<PeerFlow> with = new ArrayList<>();
        Map<String, Long> dropped = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            without.addAll(concurrent(measured, false, seconds, cc));
            JsonNode before = portals.status();
            List<ProcessGroup.Started> floods = new ArrayList<>();
            try {
                for (int i = 1; i <= topo.site(flooder).links().size(); i++) {
                    String target = "/dev/udp/" + MultiPeerTopology.rpLinkIp(flooder, i) + "/"
                            + dev.multipath.lab.portal.PortalConfigWriter.PORT;
                    floods.add(topo.start("flood" + run + "-" + i, topo.lpNs(flooder), List.of("timeout",
                            Integer.toString(seconds + 5), "nice", "-n", "19", "bash", "-c", "exec 3>" + target
                                    + "; while :; do printf x >&3; done")));
                }
                MultiPeerPortals.sleep(500);
                with.addAll(concurrent(measured, false, seconds, cc));
            } finally {
                for (ProcessGroup.Started f : floods) {
                    ProcessGroup.stop(f, 500);
                }
            }
            JsonNode after = portals.status();
            for (Iterator<Map.Entry<String, JsonNode>> it = after.path("drops").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long d = e.getValue().asLong() - before.path("drops").path(e.getKey()).asLong(0);
                if (d != 0) {
                    dropped.merge(e.getKey(), d, Long::sum);
                }
            }
        }
        return new IsolationResult(name(flooder), "1-byte UDP datagrams to the remote portal's port on each of its "
                + topo.site(flooder).links().size() + " links (bash, nice 19), as fast as its links pass them",
                dropped, runs, without, with, medians(without), medians(with));
    }

    private static Map<String, Double> medians(List<PeerFlow> flows) {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        for (PeerFlow f : flows) {
            if (f.error() == null) {
                by.computeIfAbsent(f.site(), x -> new ArrayList<>()).add(f.goodputMbit());
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        by.forEach((site, v) -> out.put(site, Stats.median(Stats.toArray(v))));
        return out;
    }

    /**
     * Every honest site's outbound flow of {@code seconds} at once; at {@code removeAtSec} site {@code removed} is
     * taken out of the remote portal's config (SIGHUP). Ends that site for the rest of the run.
     */
    public RemovalResult removal(int removed, int seconds, double removeAtSec, String cc) {
        List<Integer> sites = honestSites();
        Flows flows = Flows.start(topo, sites, false, seconds, cc);
        long reloadMs;
        Map<Integer, FlowResult> results;
        ServerCounters.Sampler sampler = counters.sample(250, flows.startedNanos());
        double removedAt;
        try {
            long at = flows.startedNanos() + (long) (removeAtSec * 1e9);
            long wait = (at - System.nanoTime()) / 1_000_000;
            if (wait > 0) {
                MultiPeerPortals.sleep(wait);
            }
            removedAt = (System.nanoTime() - flows.startedNanos()) / 1e9;
            reloadMs = portals.removePeer(removed, 10_000);
            List<Integer> survivors = new ArrayList<>(sites);
            survivors.remove(Integer.valueOf(removed));
            results = flows.await(survivors);
            MultiPeerPortals.sleep(300);
        } finally {
            sampler.close();
            flows.close();
        }
        List<PeerFlow> survivorFlows = new ArrayList<>();
        Map<String, Double> minAfter = new LinkedHashMap<>();
        Map<String, Double> meanAfter = new LinkedHashMap<>();
        for (Map.Entry<Integer, FlowResult> e : results.entrySet()) {
            PeerFlow f = flow(e.getKey(), false, e.getValue());
            survivorFlows.add(f);
            double[] after = afterRemoval(e.getValue(), removedAt);
            minAfter.put(f.site(), after.length == 0 ? null : Arrays.stream(after).min().getAsDouble());
            meanAfter.put(f.site(), after.length == 0 ? null : Arrays.stream(after).average().getAsDouble());
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int k : sites) {
            series.put(name(k), sampler.siteMbit(k));
        }
        double[] times = sampler.seconds();
        double[] removedSeries = sampler.siteMbit(removed);
        double before = 0;
        int n = 0;
        for (int i = 0; i < removedSeries.length; i++) {
            if (times[i] >= 1.0 && times[i + 1] <= removedAt) {
                before += removedSeries[i];
                n++;
            }
        }
        return new RemovalResult(name(removed), removedAt, seconds, reloadMs, times, series, survivorFlows, minAfter,
                meanAfter, n == 0 ? 0 : before / n, sampler.siteBytesAfter(removed, removedAt + 1.0));
    }

    /** The receiver intervals that start at or after {@code atSec}, excluding the last (partial) one. */
    static double[] afterRemoval(FlowResult f, double atSec) {
        double[] v = f.intervalsMbit();
        int from = (int) Math.ceil(atSec / f.intervalSec());
        int to = Math.max(from, v.length - 1);
        return from >= v.length ? new double[0] : Arrays.copyOfRange(v, from, Math.min(to, v.length));
    }

    @Override
    public void close() {
        try {
            portals.close();
        } finally {
            topo.close();
        }
    }
}
