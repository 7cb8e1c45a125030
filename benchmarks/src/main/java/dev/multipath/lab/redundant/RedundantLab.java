package dev.multipath.lab.redundant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.multipath.lab.LabException;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.measure.LinkCounters;
import dev.multipath.lab.measure.Stats;
import dev.multipath.lab.measure.UdpResult;
import dev.multipath.lab.portal.PortalSettings;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.report.Machine;
import dev.multipath.lab.scenario.RunOptions;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code ./lab redundant}: redundant mode for real-time traffic. Two 10 Mbit links, link 2 drops 10 % at random (both
 * directions); an iperf3 UDP stream of 2 Mbit/s in 250-byte datagrams (1000 per second), outbound and inbound,
 * through portals with {@code [redundant] ports = [5201]} (the iperf3 port) and, as the baseline of the same run,
 * through portals without it. Reports the receiver's loss and what each link carried. Each link alone (no tunnel) is
 * measured once for reference.
 */
public final class RedundantLab {
    /** The UDP stream's bit rate (iperf3 -b). */
    public static final String BITRATE = "2M";
    /** Datagram payload bytes (iperf3 -l): 1000 datagrams per second at 2 Mbit/s. */
    public static final int LENGTH = 250;
    /** Stream length of {@code ./lab redundant}. */
    public static final int FLOW_SEC = 10;
    /** Random loss of link 2, percent. */
    public static final double LOSS_PCT = 10;

    private RedundantLab() {
    }

    /** Link 1: 10 Mbit; link 2: 10 Mbit with {@link #LOSS_PCT} random loss. */
    public static List<LinkSpec> links() {
        return List.of(LinkSpec.rate(10), LinkSpec.rate(10).withLoss(LOSS_PCT));
    }

    /** Portal settings with or without the iperf3 port in {@code [redundant]}. */
    public static PortalSettings settings(String transport, String scheduler, boolean redundant) {
        PortalSettings s = PortalSettings.of(transport).withScheduler(scheduler);
        return redundant ? s.withRedundantPorts(Set.of(IperfRunner.PORT)) : s;
    }

    /**
     * One UDP stream with the portals running: the receiver's loss and the Mbit/s each link carried in the data
     * direction (wire bytes from the middle namespaces' counters).
     */
    public static StreamRun stream(Topology topo, IperfRunner iperf, boolean reverse, int seconds) {
        LinkCounters.Snapshot c0 = LinkCounters.take(topo, !reverse);
        UdpResult u = iperf.runUdp(reverse, seconds, BITRATE, LENGTH);
        double[] perLink = LinkCounters.mbitPerLink(c0, LinkCounters.take(topo, !reverse));
        return new StreamRun(u.packets(), u.lost(), orNull(u.lossPct()), u.goodputMbit(),
                Arrays.stream(perLink).mapToObj(RedundantLab::orNull).toList(), u.error(), null, null);
    }

    /**
     * One UDP stream.
     *
     * @param packets     datagrams sent
     * @param lost        datagrams the receiver never got
     * @param lossPct     lost / packets, percent
     * @param goodputMbit received rate
     * @param linkMbit    Mbit/s each link carried in the data direction (tunnel runs; null entries if unreadable)
     * @param error       iperf3's error or null
     * @param receiverCounters the receiving portal's drop and reorder counters that moved during the stream
     *                    ({@code portal status --json}: {@code drops.*}, and top-level counters named like reorder,
     *                    late, duplicate, timeout); null when not read
     * @param senderCounters the same counters of the sending portal
     */
    public record StreamRun(long packets, long lost, Double lossPct, double goodputMbit, List<Double> linkMbit,
            String error, java.util.Map<String, Long> receiverCounters, java.util.Map<String, Long> senderCounters) {

        StreamRun withCounters(java.util.Map<String, Long> receiver, java.util.Map<String, Long> sender) {
            return new StreamRun(packets, lost, lossPct, goodputMbit, linkMbit, error, receiver, sender);
        }
    }

    /** Counters of a {@code portal status --json} document: drops.* and reorder-like top-level numbers. */
    static java.util.Map<String, Long> counters(String statusJson) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        if (statusJson == null) {
            return out;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode root = new ObjectMapper().readTree(statusJson);
            collect(root, "", out);
        } catch (IOException e) {
            // leave empty: a diagnostic only
        }
        return out;
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode n, String prefix,
            java.util.Map<String, Long> out) {
        if (n.isArray()) {
            return; // paths and peers: per-path numbers are not what we look for
        }
        for (java.util.Iterator<java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = n.fields();
                it.hasNext(); ) {
            java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                collect(e.getValue(), key + ".", out);
            } else if (e.getValue().isIntegralNumber() && (key.startsWith("drops.")
                    || key.toLowerCase(Locale.ROOT).matches(".*(reorder|late|dup|timeout|held|released).*"))) {
                out.put(key, e.getValue().asLong());
            }
        }
    }

    static java.util.Map<String, Long> moved(java.util.Map<String, Long> before, java.util.Map<String, Long> after) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /**
     * One mode and direction over all runs.
     *
     * @param mode          {@code redundant}, {@code plain} (tunnel without [redundant]) or {@code link N alone}
     * @param direction     outbound or inbound
     * @param lossMedianPct median over runs of the loss
     * @param lossMinPct    minimum
     * @param lossMaxPct    maximum
     * @param pooledLossPct all lost / all sent over the runs
     * @param linkMbit      median per link of what it carried
     * @param runs          every run
     */
    public record Result(String mode, String direction, Double lossMedianPct, Double lossMinPct, Double lossMaxPct,
            Double pooledLossPct, List<Double> linkMbit, List<StreamRun> runs) {

        static Result of(String mode, String direction, List<StreamRun> runs) {
            double[] loss = runs.stream().filter(r -> r.error() == null && r.lossPct() != null)
                    .mapToDouble(StreamRun::lossPct).toArray();
            long sent = runs.stream().filter(r -> r.error() == null).mapToLong(StreamRun::packets).sum();
            long lost = runs.stream().filter(r -> r.error() == null).mapToLong(StreamRun::lost).sum();
            List<Double> perLink = new ArrayList<>();
            int n = runs.stream().mapToInt(r -> r.linkMbit() == null ? 0 : r.linkMbit().size()).max().orElse(0);
            for (int i = 0; i < n; i++) {
                final int k = i;
                perLink.add(orNull(Stats.median(runs.stream().filter(r -> r.linkMbit() != null
                        && r.linkMbit().size() > k && r.linkMbit().get(k) != null)
                        .mapToDouble(r -> r.linkMbit().get(k)).toArray())));
            }
            return new Result(mode, direction, orNull(Stats.median(loss)), orNull(Stats.min(loss)),
                    orNull(Stats.max(loss)), sent > 0 ? 100.0 * lost / sent : null, perLink, runs);
        }
    }

    /** Everything {@code ./lab redundant} measured (redundant.json). */
    public record RedundantResults(String generated, String machine, String command, String transport,
            String scheduler, List<LinkSpec> links, String bitrate, int datagramBytes, int flowSec,
            List<Result> results) {
    }

    /** {@code ./lab redundant}: links alone once, then {@code opts.maxRuns()} rounds of plain and redundant. */
    public static int main(RunOptions opts, Path out, String line) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new LabException("cannot create " + out + ": " + e.getMessage(), e);
        }
        String machine = Machine.describe();
        List<Result> results = new ArrayList<>();
        String[] dirs = {"outbound", "inbound"};
        String[] modes = {"plain", "redundant"};
        try (Topology topo = Topology.create(links())) {
            IperfRunner iperf = new IperfRunner(topo);
            for (int link = 1; link <= 2; link++) {
                for (String dir : dirs) {
                    topo.routeDirect(link);
                    UdpResult u = iperf.runUdp(dir.equals("inbound"), FLOW_SEC, BITRATE, LENGTH);
                    if (!u.completed()) { // iperf3's own TCP control connection over the lossy link can stall
                        u = iperf.runUdp(dir.equals("inbound"), FLOW_SEC, BITRATE, LENGTH);
                    }
                    StreamRun r = new StreamRun(u.packets(), u.lost(), orNull(u.lossPct()), u.goodputMbit(), null,
                            u.error(), null, null);
                    print("link " + link + " alone", dir, 1, 1, r);
                    results.add(Result.of("link " + link + " alone", dir, List.of(r)));
                }
            }
            List<List<StreamRun>> runs = new ArrayList<>();
            for (int i = 0; i < modes.length * dirs.length; i++) {
                runs.add(new ArrayList<>());
            }
            for (int k = 1; k <= opts.maxRuns(); k++) {
                for (int m = 0; m < modes.length; m++) {
                    try (Portals p = Portals.start(topo, settings(opts.transport(), opts.scheduler(), m == 1), 30)) {
                        for (int d = 0; d < dirs.length; d++) {
                            boolean receiverIsLocal = d == 1;
                            java.util.Map<String, Long> c0 = counters(p.statusJson(!receiverIsLocal));
                            java.util.Map<String, Long> s0 = counters(p.statusJson(receiverIsLocal));
                            StreamRun r = stream(topo, iperf, d == 1, FLOW_SEC);
                            r = r.withCounters(moved(c0, counters(p.statusJson(!receiverIsLocal))),
                                    moved(s0, counters(p.statusJson(receiverIsLocal))));
                            print(modes[m], dirs[d], k, opts.maxRuns(), r);
                            runs.get(m * dirs.length + d).add(r);
                        }
                    }
                }
            }
            for (int m = 0; m < modes.length; m++) {
                for (int d = 0; d < dirs.length; d++) {
                    results.add(Result.of(modes[m], dirs[d], runs.get(m * dirs.length + d)));
                }
            }
        }
        RedundantResults r = new RedundantResults(Instant.now().toString(), machine, line, opts.transport(),
                opts.scheduler(), links(), BITRATE, LENGTH, FLOW_SEC, results);
        write(out, r);
        System.out.println("results: " + out.resolve("redundant.json") + ", " + out.resolve("redundant.md") + ", "
                + out.resolve("redundant.png"));
        return results.stream().allMatch(x -> x.runs().stream().allMatch(s -> s.error() == null)) ? 0 : 1;
    }

    private static void print(String mode, String dir, int k, int n, StreamRun r) {
        System.out.printf(Locale.ROOT, "redundant %-12s %-8s run %d/%d: %d of %d datagrams lost (%s %%), %.2f Mbit/s"
                + "%s%s%s%n", mode, dir, k, n, r.lost(), r.packets(), r.lossPct() == null ? "-" : String.format(
                Locale.ROOT, "%.3f", r.lossPct()), r.goodputMbit(), r.linkMbit() == null ? "" : ", links "
                + r.linkMbit().stream().map(v -> v == null ? "?" : String.format(Locale.ROOT, "%.2f", v)).toList(),
                r.receiverCounters() == null ? "" : ", receiving portal's counters " + r.receiverCounters()
                        + ", sending portal's " + r.senderCounters(),
                r.error() != null ? "  ERROR " + r.error() : "");
    }

    static void write(Path out, RedundantResults r) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("redundant.json")
                    .toFile(), r);
            Files.writeString(out.resolve("redundant.md"), markdown(r));
        } catch (IOException e) {
            throw new LabException("cannot write the redundant-mode results: " + e.getMessage(), e);
        }
        chart(r, out.resolve("redundant.png"));
    }

    static String markdown(RedundantResults r) {
        StringBuilder b = new StringBuilder("# Redundant mode\n\n");
        b.append("Generated ").append(r.generated()).append(" on ").append(r.machine()).append("  \n");
        b.append("Command: `").append(r.command()).append("`  \n");
        b.append(String.format(Locale.ROOT, "Links: %s + %s; transport %s, scheduler %s; iperf3 UDP -b %s -l %d,"
                + " %d s per stream; redundant = `[redundant] ports = [%d]` on both portals.%n%n",
                r.links().get(0).label(), r.links().get(1).label(), r.transport(),
                r.scheduler() == null ? "auto" : r.scheduler(), r.bitrate(), r.datagramBytes(), r.flowSec(),
                IperfRunner.PORT));
        b.append("| mode | direction | runs | loss % median (min-max) | lost / sent, all runs | pooled loss % |"
                + " per link Mbit/s (wire) |\n|---|---|---|---|---|---|---|\n");
        for (Result x : r.results()) {
            long sent = x.runs().stream().mapToLong(StreamRun::packets).sum();
            long lost = x.runs().stream().mapToLong(StreamRun::lost).sum();
            b.append(String.format(Locale.ROOT, "| %s | %s | %d | %s (%s-%s) | %d / %d | %s | %s |%n", x.mode(),
                    x.direction(), x.runs().size(), f(x.lossMedianPct()), f(x.lossMinPct()), f(x.lossMaxPct()), lost,
                    sent, f(x.pooledLossPct()), x.linkMbit().isEmpty() ? "-" : String.join(" / ",
                            x.linkMbit().stream().map(v -> v == null ? "?" : String.format(Locale.ROOT, "%.2f", v))
                                    .toList())));
        }
        return b.toString();
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static void chart(RedundantResults r, Path png) {
        List<String> cats = new ArrayList<>();
        for (Result x : r.results()) {
            if (!cats.contains(x.mode())) {
                cats.add(x.mode());
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(String.format(Locale.ROOT,
                "redundant mode: UDP %sbit/s over %s + %s, receiver loss (pooled over runs)", r.bitrate(),
                r.links().get(0).label(), r.links().get(1).label())).xAxisTitle("")
                .yAxisTitle("datagrams lost (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        for (String dir : List.of("outbound", "inbound")) {
            List<Double> y = new ArrayList<>();
            for (String c : cats) {
                y.add(r.results().stream().filter(x -> x.mode().equals(c) && x.direction().equals(dir)).findFirst()
                        .map(Result::pooledLossPct).map(v -> Math.round(v * 1000) / 1000.0).orElse(0.0));
            }
            chart.addSeries(dir, cats, y);
        }
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new LabException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
