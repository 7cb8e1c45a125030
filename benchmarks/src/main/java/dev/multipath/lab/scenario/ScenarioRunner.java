package dev.multipath.lab.scenario;

import dev.multipath.lab.LabException;
import dev.multipath.lab.measure.CpuSampler;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.measure.LinkCounters;
import dev.multipath.lab.measure.PingProbe;
import dev.multipath.lab.measure.Stats;
import dev.multipath.lab.portal.PortalSettings;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.report.BaselineRecord;
import dev.multipath.lab.report.DirectionRecord;
import dev.multipath.lab.report.Measurement;
import dev.multipath.lab.report.RunRecord;
import dev.multipath.lab.report.ScenarioRecord;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.Topology;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one {@link Scenario}: builds its topology, measures each distinct link shape alone (the baseline, no tunnel),
 * starts the portals, measures the tunnel with the scripted events, outbound and inbound, each test repeated until the
 * CoV target or the run limit, and tears everything down. A portal failure is recorded in the result, not thrown.
 * Not thread-safe.
 */
public final class ScenarioRunner {
    private final RunOptions options;
    private final Progress progress;

    public ScenarioRunner(RunOptions options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs {@code s}; throws {@link LabException} only if the topology itself cannot be built. */
    public ScenarioRecord run(Scenario s) {
        return runSchedulers(s, java.util.Collections.singletonList(options.scheduler())).get(0);
    }

    /**
     * Runs {@code s} once per scheduler in one topology: the links alone are measured once, then for each scheduler
     * the portals are started with it and the tunnel is measured, so every scheduler is compared against the same
     * baselines. One record per scheduler, in order ({@code null} in the list: the options' default, no key written).
     * Throws {@link LabException} only if the topology itself cannot be built.
     */
    public List<ScenarioRecord> runSchedulers(Scenario s, List<String> schedulers) {
        long t0 = System.nanoTime();
        String startedAt = Instant.now().toString();
        int duration = options.durationOverride() > 0 ? options.durationOverride() : s.durationSec();
        progress.scenarioStarted(s);
        Map<String, List<BaselineRecord>> baselines = new LinkedHashMap<>();
        List<Map<String, Measurement>> tunnels = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        try (Topology topo = Topology.create(s.links())) {
            IperfRunner iperf = new IperfRunner(topo, options.parallel());
            if (options.ecn()) {
                topo.enableEcn();
            }
            for (String dir : options.directions()) {
                baselines.put(dir, measureBaselines(topo, iperf, s, dir, duration));
            }
            double baselineSec = (System.nanoTime() - t0) / 1e9;
            for (String scheduler : schedulers) {
                long t1 = System.nanoTime();
                Map<String, Measurement> tunnel = new LinkedHashMap<>();
                if (options.baselinesOnly()) {
                    for (String dir : options.directions()) {
                        tunnel.put(dir, Measurement.failed("not measured (--baselines-only)"));
                    }
                } else {
                    measureTunnel(topo, iperf, s, duration, scheduler, tunnel);
                }
                tunnels.add(tunnel);
                seconds.add((schedulers.size() == 1 ? baselineSec : 0) + (System.nanoTime() - t1) / 1e9);
            }
        }
        List<ScenarioRecord> out = new ArrayList<>();
        for (int k = 0; k < schedulers.size(); k++) {
            List<DirectionRecord> dirs = new ArrayList<>();
            for (String dir : options.directions()) {
                dirs.add(direction(s, dir, tunnels.get(k).get(dir), baselines.get(dir)));
            }
            out.add(new ScenarioRecord(s.name(), s.description(), options.transport(), options.ccLabel(), duration,
                    s.links(), s.events(), dirs, startedAt, seconds.get(k), schedulers.get(k)));
        }
        progress.scenarioFinished();
        return out;
    }

    /** Unmeasured flows through a fresh pair of portals before the tunnel's runs (unless {@code --cold}). */
    private static final int WARM_UP_SECONDS = 4;

    private void measureTunnel(Topology topo, IperfRunner iperf, Scenario s, int duration, String scheduler,
            Map<String, Measurement> out) {
        progress.step("starting portals (transport %s%s)", options.transport(),
                scheduler == null ? "" : ", scheduler " + scheduler);
        Portals portals;
        try {
            portals = Portals.start(topo, PortalSettings.of(options.transport()).withScheduler(scheduler), 30);
        } catch (LabException e) {
            progress.step("PORTALS FAILED: %s", firstLine(e.getMessage()));
            for (String dir : options.directions()) {
                out.put(dir, Measurement.failed("portals did not start: " + e.getMessage()));
            }
            return;
        }
        try (portals) {
            if (!options.cold()) {
                // The runs measure portals in service, not the first seconds of their life (decision 47): a fresh
                // pair is still searching its paths' capacity (padding, BBR STARTUP and its drain, decision 41) and
                // its JVM is compiling the data path (a fifth of the local portal's CPU in a profile of the first
                // seconds, 2026-12-05). Without this, outbound, always measured first, took that start-up's cost.
                progress.step("warm-up: %d s each way through the tunnel (not measured)", WARM_UP_SECONDS);
                portals.routeThroughTunnel();
                iperf.run(false, WARM_UP_SECONDS, options.cc());
                iperf.run(true, WARM_UP_SECONDS, options.cc());
            }
            for (String dir : options.directions()) {
                boolean reverse = dir.equals("inbound");
                out.put(dir, repeat("tunnel " + dir, options.maxRuns(),
                        () -> tunnelRun(topo, iperf, portals, s, reverse, duration)));
            }
        }
    }

    private RunRecord tunnelRun(Topology topo, IperfRunner iperf, Portals portals, Scenario s, boolean reverse,
            int duration) {
        portals.routeThroughTunnel();
        PingProbe ping = PingProbe.start(topo, topo.clientNs(), topo.addressing().serverIp(), duration, "ping");
        LinkCounters.Snapshot c0 = LinkCounters.take(topo, !reverse);
        CpuSampler.Sample l0 = CpuSampler.sample(portals.local().pid());
        CpuSampler.Sample r0 = CpuSampler.sample(portals.remote().pid());
        ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpl-events");
            t.setDaemon(true);
            return t;
        });
        List<ScheduledFuture<?>> scheduled = new ArrayList<>();
        for (LinkEvent e : s.events()) {
            scheduled.add(events.schedule(() -> applyQuietly(topo, e), Math.round(e.atSec() * 1000),
                    TimeUnit.MILLISECONDS));
        }
        FlowResult f;
        try {
            f = iperf.run(reverse, duration, options.cc());
        } finally {
            events.shutdownNow();
            // Whatever the flow did, links go back to their declared shape before the next run.
            for (LinkEvent e : s.events()) {
                if (e.kind() != LinkEvent.Kind.RESTORE) {
                    applyQuietly(topo, LinkEvent.restore(0, e.link()));
                }
            }
        }
        CpuSampler.Sample l1 = CpuSampler.sample(portals.local().pid());
        List<Double> perLink = Arrays.stream(LinkCounters.mbitPerLink(c0, LinkCounters.take(topo, !reverse)))
                .mapToObj(RunRecord::orNull).toList();
        CpuSampler.Sample r1 = CpuSampler.sample(portals.remote().pid());
        PingProbe.Result p = ping.finish();
        return new RunRecord(f.goodputMbit(), boxed(f.intervalsMbit()), f.intervalSec(),
                RunRecord.orNull(f.meanRttMs()), f.retransmits() < 0 ? null : f.retransmits(),
                RunRecord.orNull(p.avgMs()), RunRecord.orNull(p.maxMs()), p.lossPct(),
                s.measureCpu() ? RunRecord.orNull(CpuSampler.percent(l0, l1)) : null,
                s.measureCpu() ? RunRecord.orNull(CpuSampler.percent(r0, r1)) : null, perLink, f.error());
    }

    private void applyQuietly(Topology topo, LinkEvent e) {
        try {
            topo.apply(e);
        } catch (LabException ex) {
            progress.step("event %s failed: %s", e.label(), ex.getMessage());
        }
    }

    private List<BaselineRecord> measureBaselines(Topology topo, IperfRunner iperf, Scenario s, String dir,
            int duration) {
        boolean reverse = dir.equals("inbound");
        Map<Object, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i = 1; i <= s.links().size(); i++) {
            // With everyLink, identical shapes are still measured separately: key by index, not by shape.
            Object key = options.everyLink() ? Integer.valueOf(i) : s.links().get(i - 1);
            byShape.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        List<BaselineRecord> out = new ArrayList<>();
        for (Map.Entry<Object, List<Integer>> e : byShape.entrySet()) {
            int link = e.getValue().get(0);
            Measurement m = repeat("link " + link + " alone " + dir, options.baselineMaxRuns(), () -> {
                topo.routeDirect(link);
                FlowResult f = iperf.run(reverse, duration, options.cc());
                return new RunRecord(f.goodputMbit(), boxed(f.intervalsMbit()), f.intervalSec(),
                        RunRecord.orNull(f.meanRttMs()), f.retransmits() < 0 ? null : f.retransmits(), null, null,
                        null, null, null, null, f.error());
            });
            out.add(new BaselineRecord(link, s.links().get(link - 1).label(), e.getValue(), m));
        }
        return out;
    }

    /** Runs {@code run} at least minRuns and at most {@code maxRuns} times, stopping once the CoV is on target. */
    private Measurement repeat(String what, int maxRuns, Supplier<RunRecord> run) {
        List<RunRecord> runs = new ArrayList<>();
        int min = Math.min(options.minRuns(), maxRuns);
        for (int k = 1; k <= maxRuns; k++) {
            RunRecord r = run.get();
            runs.add(r);
            double[] g = runs.stream().filter(x -> x.error() == null).mapToDouble(RunRecord::goodputMbit).toArray();
            double cov = Stats.cov(g);
            progress.step("%-28s run %d/%d: %7.2f Mbit/s%s%s%s", what, k, maxRuns, r.goodputMbit(),
                    r.pingAvgMs() != null ? String.format(" ping %.1f ms", r.pingAvgMs()) : "",
                    r.linkMbit() != null ? " links " + perLinkLabel(r.linkMbit()) : "",
                    r.error() != null ? "  ERROR " + r.error() : (g.length > 1 ? String.format(" (CoV %.1f %%)",
                            cov * 100) : ""));
            if (k >= min && cov <= options.covTarget()) {
                break;
            }
        }
        return Measurement.of(runs);
    }

    private static DirectionRecord direction(Scenario s, String dir, Measurement tunnel,
            List<BaselineRecord> baselines) {
        double linkSum = s.linkSumMbit();
        double baselineSum = 0;
        double best = 0;
        for (BaselineRecord b : baselines) {
            Double med = b.measurement().medianMbit();
            if (med == null) {
                baselineSum = Double.NaN;
                continue;
            }
            baselineSum += med * b.sameAs().size();
            best = Math.max(best, med);
        }
        double t = tunnel.medianMbit() == null ? Double.NaN : tunnel.medianMbit();
        return new DirectionRecord(dir, tunnel, baselines, RunRecord.orNull(linkSum), RunRecord.orNull(baselineSum),
                RunRecord.orNull(t / linkSum), RunRecord.orNull(t / baselineSum),
                RunRecord.orNull(best > 0 ? t / best : Double.NaN));
    }

    private static String perLinkLabel(List<Double> mbit) {
        StringBuilder b = new StringBuilder();
        for (Double d : mbit) {
            b.append(b.length() > 0 ? "/" : "").append(d == null ? "?" : String.format("%.1f", d));
        }
        return b.toString();
    }

    private static List<Double> boxed(double[] v) {
        return Arrays.stream(v).boxed().toList();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
