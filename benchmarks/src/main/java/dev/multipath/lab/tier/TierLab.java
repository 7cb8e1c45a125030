package dev.multipath.lab.tier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.multipath.lab.LabException;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.measure.RateSampler;
import dev.multipath.lab.measure.Stats;
import dev.multipath.lab.portal.PortalSettings;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.report.Machine;
import dev.multipath.lab.scenario.RunOptions;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.Topology;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code ./lab tiers}: connection metrics. A primary link (20 Mbit, {@code metric = 0}) and a backup link (10 Mbit,
 * {@code metric = 1}); one TCP flow; the primary is cut mid-flow, by taking the local portal's interface down and,
 * separately, by a silent black hole. Per-link byte counters of the sending portal, sampled every 0.1 s, show the
 * backup idle while the primary is alive and how soon it carries the flow after the cut; iperf3 reports goodput per
 * 0.1 s. Portals are started afresh for every flow, so each run starts from the same state.
 */
public final class TierLab {
    /** The primary link's rate. */
    public static final double PRIMARY_MBIT = 20;
    /** The backup link's rate. */
    public static final double BACKUP_MBIT = 10;
    /** Flow length of {@code ./lab tiers}. */
    public static final int FLOW_SEC = 10;
    /** When the primary is cut, after the client starts. */
    public static final double CUT_AT_SEC = 4;
    private static final double SAMPLE_SEC = 0.1;

    private TierLab() {
    }

    /** The two links: primary (link 1), backup (link 2). */
    public static List<LinkSpec> links() {
        return List.of(LinkSpec.rate(PRIMARY_MBIT), LinkSpec.rate(BACKUP_MBIT));
    }

    /** Portal settings: metric 0 on the primary, 1 on the backup. */
    public static PortalSettings settings(String transport, String scheduler) {
        return PortalSettings.of(transport).withScheduler(scheduler).withMetrics(List.of(0, 1));
    }

    /**
     * One flow through running portals of a {@link #links()} topology: cut link 1 ({@code cut} is DOWN or BLACKHOLE)
     * at {@code cutAtSec}, restore it after the flow.
     */
    public static TierRun run(Topology topo, IperfRunner iperf, LinkEvent.Kind cut, boolean reverse, int flowSec,
            double cutAtSec, String cc) {
        if (cut != LinkEvent.Kind.DOWN && cut != LinkEvent.Kind.BLACKHOLE) {
            throw new IllegalArgumentException("cut must be DOWN or BLACKHOLE, not " + cut);
        }
        String ns = reverse ? topo.rpNs() : topo.lpNs();
        List<String> devs = reverse ? List.of(topo.rpLinkIf(1), topo.rpLinkIf(2))
                : List.of(topo.lpLinkIf(1), topo.lpLinkIf(2));
        AtomicLong start = new AtomicLong();
        AtomicLong cutBegan = new AtomicLong();
        AtomicLong cutDone = new AtomicLong();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpl-tier-cut");
            t.setDaemon(true);
            return t;
        });
        LinkEvent event = new LinkEvent(cutAtSec, cut, 1, 0);
        FlowResult f;
        List<RateSampler.Sample> samples;
        RateSampler sampler = RateSampler.start(topo, ns, devs, SAMPLE_SEC);
        try {
            sleep(300); // a few samples before the flow
            f = iperf.run(reverse, flowSec, cc, SAMPLE_SEC, () -> {
                start.set(nowMicros());
                timer.schedule(() -> {
                    cutBegan.set(nowMicros());
                    topo.apply(event);
                    cutDone.set(nowMicros());
                }, Math.round(cutAtSec * 1000), TimeUnit.MILLISECONDS);
            });
        } finally {
            timer.shutdown();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            samples = sampler.finish();
            topo.apply(LinkEvent.restore(0, 1));
        }
        if (cutBegan.get() == 0) {
            throw new LabException("the flow ended before the cut (" + f.error() + ")");
        }
        double cutSec = (cutBegan.get() - start.get()) / 1e6;
        double[][] rows = RateSampler.rates(samples, start.get());
        // rates() stamps the midpoint; the end of each sample is what an observer knows by then
        List<double[]> series = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            double half = i + 1 < samples.size() ? (samples.get(i + 1).epochMicros() - samples.get(i).epochMicros())
                    / 2e6 : SAMPLE_SEC / 2;
            series.add(new double[] {rows[i][0] + half, rows[i][1], rows[i][2]});
        }
        double primaryBefore = mean(series, 1, 1.0, cutSec);
        double backupBefore = mean(series, 2, 1.0, cutSec);
        Double first = null;
        Double takeover = null;
        for (int i = 0; i < series.size(); i++) {
            double[] r = series.get(i);
            if (r[0] - SAMPLE_SEC / 2 < cutSec) {
                continue;
            }
            if (first == null && r[2] >= 0.1 * BACKUP_MBIT) {
                first = r[0] - cutSec;
            }
            if (takeover == null && r[2] >= 0.5 * BACKUP_MBIT) {
                double sum = 0;
                int n = 0;
                for (int k = i; k < Math.min(series.size(), i + 5); k++) {
                    sum += series.get(k)[2];
                    n++;
                }
                if (n == 5 && sum / n >= 0.5 * BACKUP_MBIT) {
                    takeover = r[0] - cutSec;
                }
            }
        }
        double[] iv = f.intervalsMbit();
        double step = f.intervalSec() > 0 ? f.intervalSec() : SAMPLE_SEC;
        Double recovery = null;
        double afterSum = 0;
        int afterN = 0;
        for (int i = 0; i < iv.length; i++) {
            double end = (i + 1) * step;
            if (recovery == null && end - step >= cutSec - 1e-9 && iv[i] >= 0.5 * BACKUP_MBIT
                    && i + 5 <= iv.length && Arrays.stream(iv, i, i + 5).average().orElse(0) >= 0.5 * BACKUP_MBIT) {
                recovery = end - cutSec; // sustained: packets queued before the cut fill the first interval or two
            }
            if (end - step >= cutSec + 2) {
                afterSum += iv[i];
                afterN++;
            }
        }
        return new TierRun(cutSec, (cutDone.get() - cutBegan.get()) / 1e3, primaryBefore, backupBefore, first,
                takeover, recovery, afterN > 0 ? afterSum / afterN : 0, f.goodputMbit(), f.error(), series,
                Arrays.stream(iv).boxed().toList(), null);
    }

    /** {@code name:metric} of every path in a {@code portal status --json} document; null if there is none. */
    public static List<String> pathMetrics(String statusJson) {
        if (statusJson == null) {
            return null;
        }
        try {
            List<String> out = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode paths : new ObjectMapper().readTree(statusJson)
                    .findValues("paths")) {
                for (com.fasterxml.jackson.databind.JsonNode p : paths) {
                    if (p.has("metric")) {
                        out.add(p.path("name").asText() + ":" + p.path("metric").asText());
                    }
                }
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }

    private static double mean(List<double[]> series, int col, double from, double to) {
        return series.stream().filter(r -> r[0] - SAMPLE_SEC / 2 >= from && r[0] <= to).mapToDouble(r -> r[col])
                .average().orElse(Double.NaN);
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    // ---- ./lab tiers ----

    /** Everything {@code ./lab tiers} measured (tiers.json). */
    public record TierResults(String generated, String machine, String command, String transport, String scheduler,
            String cc, List<LinkSpec> links, List<Integer> metrics, int flowSec, double cutAtSec,
            List<TierCase> cases) {
    }

    /** {@code ./lab tiers}: every cut kind and direction, {@code opts.maxRuns()} flows each. */
    public static int main(RunOptions opts, Path out, String line) {
        String[][] cases = {{"down", "outbound"}, {"down", "inbound"}, {"blackhole", "outbound"},
            {"blackhole", "inbound"}};
        List<TierCase> done = new ArrayList<>();
        String machine = Machine.describe();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new LabException("cannot create " + out + ": " + e.getMessage(), e);
        }
        int failures = 0;
        try (Topology topo = Topology.create(links())) {
            IperfRunner iperf = new IperfRunner(topo);
            for (String[] c : cases) {
                LinkEvent.Kind kind = c[0].equals("down") ? LinkEvent.Kind.DOWN : LinkEvent.Kind.BLACKHOLE;
                boolean reverse = c[1].equals("inbound");
                List<TierRun> runs = new ArrayList<>();
                for (int k = 1; k <= opts.maxRuns(); k++) {
                    TierRun r;
                    try (Portals portals = Portals.start(topo, settings(opts.transport(), opts.scheduler()), 30)) {
                        r = run(topo, iperf, kind, reverse, FLOW_SEC, CUT_AT_SEC, opts.cc());
                        r = r.withRemotePaths(pathMetrics(portals.statusJson(true)));
                    }
                    runs.add(r);
                    System.out.printf(Locale.ROOT, "tiers %-9s %-8s run %d/%d: before the cut primary %.2f backup %.3f"
                            + " Mbit/s; backup >= 10 %% after %s, >= 50 %% after %s, goodput >= 50 %% after %s;"
                            + " after %.2f Mbit/s; remote portal's paths %s%s%n", c[0], c[1], k, opts.maxRuns(),
                            r.primaryBeforeMbit(),
                            r.backupBeforeMbit(), sec(r.firstBackupSec()), sec(r.takeoverSec()),
                            sec(r.flowRecoverySec()), r.goodputAfterMbit(), r.remotePaths(),
                            r.error() != null ? "  FLOW ERROR " + r.error() : "");
                    if (r.error() != null || r.takeoverSec() == null) {
                        failures++;
                    }
                }
                done.add(summarise(c[0] + "-" + c[1], c[0], c[1], runs));
                write(out, new TierResults(Instant.now().toString(), machine, line, opts.transport(),
                        opts.scheduler(), opts.cc(), links(), List.of(0, 1), FLOW_SEC, CUT_AT_SEC, done));
            }
        }
        System.out.println("results: " + out.resolve("tiers.json") + ", " + out.resolve("tiers.md")
                + ", PNG graphs in " + out);
        return failures == 0 ? 0 : 1;
    }

    static TierCase summarise(String name, String cut, String direction, List<TierRun> runs) {
        List<Double> t = runs.stream().map(TierRun::takeoverSec).toList();
        boolean all = t.stream().allMatch(Objects::nonNull);
        double[] tv = t.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        return new TierCase(name, cut, direction, all ? orNull(Stats.median(tv)) : null, orNull(Stats.min(tv)),
                all ? orNull(Stats.max(tv)) : null, median(runs.stream().map(TierRun::firstBackupSec).toList()),
                median(runs.stream().map(TierRun::flowRecoverySec).toList()),
                median(runs.stream().map(r -> (Double) r.backupBeforeMbit()).toList()),
                median(runs.stream().map(r -> (Double) r.primaryBeforeMbit()).toList()),
                median(runs.stream().map(r -> (Double) r.goodputAfterMbit()).toList()),
                (int) runs.stream().filter(r -> r.error() == null).count(), runs);
    }

    private static Double median(List<Double> v) {
        return orNull(Stats.median(v.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray()));
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private static String sec(Double s) {
        return s == null ? "never" : String.format(Locale.ROOT, "%.2f s", s);
    }

    static void write(Path out, TierResults r) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("tiers.json")
                    .toFile(), r);
            Files.writeString(out.resolve("tiers.md"), markdown(r));
        } catch (IOException e) {
            throw new LabException("cannot write the tier results: " + e.getMessage(), e);
        }
        for (TierCase c : r.cases()) {
            chart(r, c, out.resolve("tiers-" + c.name() + ".png"));
        }
    }

    static String markdown(TierResults r) {
        StringBuilder b = new StringBuilder("# Metric tiers\n\n");
        b.append("Generated ").append(r.generated()).append(" on ").append(r.machine()).append("  \n");
        b.append("Command: `").append(r.command()).append("`  \n");
        b.append(String.format(Locale.ROOT, "Links: primary %s (metric 0), backup %s (metric 1); transport %s,"
                + " scheduler %s, one TCP %s flow of %d s, primary cut at %.0f s.%n%n", r.links().get(0).label(),
                r.links().get(1).label(), r.transport(), r.scheduler() == null ? "auto" : r.scheduler(), r.cc(),
                r.flowSec(), r.cutAtSec()));
        b.append("Seconds from the cut: backup >= 10 % of its rate (first 0.1 s sample), backup >= 50 % (sustained"
                + " over 0.5 s) = takeover, goodput >= 50 % of the backup's rate (sustained over 0.5 s). Median"
                + " (min-max) over runs. Remote metric 1: runs in which the remote portal knew the backup's metric"
                + " (`portal status`).\n\n");
        b.append("| cut | direction | runs (flow completed) | remote metric 1 | primary before Mbit/s |"
                + " backup before Mbit/s | backup >= 10 % s | takeover s | goodput back s | goodput after Mbit/s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (TierCase c : r.cases()) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %d (%d) | %d | %s | %s | %s | %s (%s-%s) | %s | %s |%n",
                    c.cut(), c.direction(), c.runs().size(), c.completedRuns(), remoteKnew(c),
                    f(c.primaryBeforeMbit(), 2),
                    f(c.backupBeforeMbit(), 3), f(c.firstBackupSec(), 2), f(c.takeoverSec(), 2),
                    f(c.takeoverMinSec(), 2), f(c.takeoverMaxSec(), 2), f(c.flowRecoverySec(), 2),
                    f(c.goodputAfterMbit(), 2)));
        }
        return b.toString();
    }

    /** Runs in which the remote portal held metric 1 for a path (it learned the backup's metric). */
    static int remoteKnew(TierCase c) {
        return (int) c.runs().stream().filter(r -> r.remotePaths() != null
                && r.remotePaths().stream().anyMatch(p -> p.endsWith(":1"))).count();
    }

    private static String f(Double v, int digits) {
        return v == null ? "never" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** Per-link wire rate and goodput over time of the run with the median takeover. */
    static void chart(TierResults r, TierCase c, Path png) {
        TierRun run = c.runs().stream().filter(x -> x.takeoverSec() != null)
                .sorted(Comparator.comparingDouble(TierRun::takeoverSec)).skip(
                        c.runs().stream().filter(x -> x.takeoverSec() != null).count() / 2).findFirst()
                .orElse(c.runs().get(0));
        XYChart chart = new XYChartBuilder().width(1000).height(520).title(String.format(Locale.ROOT,
                "metric tiers, %s, %s: primary %s (metric 0), backup %s (metric 1); takeover %s",
                c.cut().equals("down") ? "primary interface down" : "primary black hole", c.direction(),
                r.links().get(0).label(), r.links().get(1).label(), sec(run.takeoverSec())))
                .xAxisTitle("time since the flow started (s)").yAxisTitle("Mbit/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        List<double[]> s = run.series().stream().filter(x -> x[0] >= 0).toList();
        if (!s.isEmpty()) {
            double[] x = s.stream().mapToDouble(v -> v[0]).toArray();
            line(chart, "primary (link 1), sent Mbit/s", x, s.stream().mapToDouble(v -> v[1]).toArray(), null);
            line(chart, "backup (link 2), sent Mbit/s", x, s.stream().mapToDouble(v -> v[2]).toArray(), null);
        }
        double[] g = run.intervalsMbit().stream().mapToDouble(Double::doubleValue).toArray();
        if (g.length > 0) {
            double[] gx = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                gx[i] = (i + 1) * SAMPLE_SEC;
            }
            line(chart, "goodput (iperf3, receiver)", gx, g, SeriesLines.DOT_DOT);
        }
        XYSeries cut = chart.addSeries(String.format(Locale.ROOT, "cut @%.2fs", run.cutAtSec()),
                new double[] {run.cutAtSec(), run.cutAtSec()}, new double[] {0, r.links().get(0).rateMbit() * 1.1});
        cut.setLineStyle(SeriesLines.DASH_DASH);
        cut.setLineColor(Color.DARK_GRAY);
        cut.setMarker(SeriesMarkers.NONE);
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new LabException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static void line(XYChart chart, String name, double[] x, double[] y, java.awt.BasicStroke style) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (style != null) {
            s.setLineStyle(style);
        }
    }
}
