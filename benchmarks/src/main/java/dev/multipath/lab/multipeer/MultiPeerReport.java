package dev.multipath.lab.multipeer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.multipath.lab.LabException;
import dev.multipath.lab.measure.Stats;
import dev.multipath.lab.multipeer.MultiPeerResults.ConcurrentRun;
import dev.multipath.lab.multipeer.MultiPeerResults.IsolationResult;
import dev.multipath.lab.multipeer.MultiPeerResults.PeerFlow;
import dev.multipath.lab.multipeer.MultiPeerResults.RemovalResult;
import dev.multipath.lab.multipeer.MultiPeerResults.SiteSummary;
import dev.multipath.lab.multipeer.MultiPeerResults.SpoofResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes the outputs of {@code ./lab multipeer}: {@code multipeer.json} ({@link MultiPeerResults}),
 * {@code summary.md}, and two PNGs in the style of the lab's other graphs: {@code multipeer-goodput.png} (each site's
 * goodput at once and alone against its link sum) and {@code multipeer-removal.png} (what the server received from
 * each site over time, with the removal marked). Stateless.
 */
public final class MultiPeerReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private MultiPeerReport() {
    }

    /** Median, min, max over the concurrent runs, per site and direction, with the solo figure beside it. */
    public static List<SiteSummary> summarize(List<ConcurrentRun> runs, List<PeerFlow> solo) {
        List<SiteSummary> out = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        for (ConcurrentRun r : runs) {
            for (PeerFlow f : r.peers()) {
                if (!sites.contains(f.site())) {
                    sites.add(f.site());
                }
            }
        }
        for (String dir : List.of("outbound", "inbound")) {
            for (String site : sites) {
                List<Double> v = new ArrayList<>();
                double sum = 0;
                for (ConcurrentRun r : runs) {
                    for (PeerFlow f : r.peers()) {
                        if (f.site().equals(site) && f.direction().equals(dir) && f.error() == null) {
                            v.add(f.goodputMbit());
                            sum = f.linkSumMbit();
                        }
                    }
                }
                PeerFlow alone = solo.stream().filter(f -> f.site().equals(site) && f.direction().equals(dir)
                        && f.error() == null).findFirst().orElse(null);
                if (v.isEmpty() && alone == null) {
                    continue;
                }
                double[] a = Stats.toArray(v);
                Double med = v.isEmpty() ? null : Stats.median(a);
                out.add(new SiteSummary(site, dir, v.size(), sum, med, v.isEmpty() ? null : Stats.min(a),
                        v.isEmpty() ? null : Stats.max(a), med == null || sum == 0 ? null : med / sum,
                        alone == null ? null : alone.goodputMbit(), alone == null ? null : alone.ratio()));
            }
        }
        return out;
    }

    /** Writes every output into {@code dir} (created if missing). */
    public static void write(MultiPeerResults r, Path dir) {
        try {
            Files.createDirectories(dir);
            MAPPER.writeValue(dir.resolve("multipeer.json").toFile(), r);
            Files.writeString(dir.resolve("summary.md"), markdown(r));
        } catch (IOException e) {
            throw new LabException("cannot write results to " + dir + ": " + e.getMessage(), e);
        }
        if (!r.summary().isEmpty()) {
            goodputChart(r, dir.resolve("multipeer-goodput.png"));
        }
        if (r.removal() != null) {
            removalChart(r.removal(), dir.resolve("multipeer-removal.png"));
        }
    }

    /** The markdown summary: tables of the concurrent figures, the spoofer, the flood and the removal. */
    public static String markdown(MultiPeerResults r) {
        StringBuilder b = new StringBuilder();
        b.append("# Many local portals on one remote portal\n\n");
        b.append("`").append(r.command()).append("`, ").append(r.generated()).append(", ").append(r.machine())
                .append(".\n\n");
        b.append("Sites: ");
        for (int i = 0; i < r.sites().size(); i++) {
            MultiPeerResults.SiteInfo s = r.sites().get(i);
            b.append(i == 0 ? "" : ", ").append(s.name()).append(" (").append(String.join(" + ", s.links()))
                    .append(')');
        }
        b.append("; transport ").append(r.transport()).append(", one TCP ").append(r.cc())
                .append(" flow per site, ").append(r.durationSec()).append(" s, all sites at once.\n\n");
        b.append("| site | dir | at once: goodput Mbit/s median (min-max) | runs | link sum | ratio | alone | ratio alone |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (SiteSummary s : r.summary()) {
            b.append("| ").append(s.site()).append(" | ").append(s.direction()).append(" | ")
                    .append(f1(s.medianMbit())).append(" (").append(f1(s.minMbit())).append('-')
                    .append(f1(s.maxMbit())).append(") | ").append(s.runs()).append(" | ").append(f1(s.linkSumMbit()))
                    .append(" | ").append(f3(s.medianRatio())).append(" | ").append(f1(s.soloMbit())).append(" | ")
                    .append(f3(s.soloRatio())).append(" |\n");
        }
        if (!r.concurrent().isEmpty()) {
            b.append("\nTotal at once per run (all sites, Mbit/s, ratio to the sum of all links): ");
            List<String> parts = new ArrayList<>();
            for (ConcurrentRun c : r.concurrent()) {
                parts.add(c.direction() + " " + f1(c.totalMbit()) + " (" + f3(c.totalRatio()) + ")");
            }
            b.append(String.join(", ", parts)).append(".\n");
        }
        if (r.loadAverage() != null && !r.loadAverage().isEmpty()) {
            b.append("\nMachine load (1-minute load average at the start of each phase; the machine has ")
                    .append(Runtime.getRuntime().availableProcessors()).append(" cores and is shared): ");
            List<String> parts = new ArrayList<>();
            r.loadAverage().forEach((phase, l) -> parts.add(phase + " " + f1(l)));
            b.append(String.join(", ", parts)).append(".\n");
        }
        SpoofResult s = r.spoof();
        if (s != null) {
            b.append("\n## Spoofing site\n\n");
            b.append(String.format(Locale.ROOT, "`%s` (authenticated session: %s) sent for %d s with the inner source "
                    + "%s (another site's client): %d pings, an iperf3 attempt (%s); its local portal carried %d packets "
                    + "into the tunnel. The server received **%d packets, %d bytes** from it; the remote portal's "
                    + "SOURCE_NOT_ALLOWED drops rose by %d; packets of that peer written to the remote's TUN: %d.%n",
                    s.spoofer(), s.sessionEstablished() ? "yes" : "no", s.seconds(), s.spoofedIp(), s.pingsSent(),
                    s.iperfError() == null ? "it connected" : s.iperfError(), s.spooferTunPackets(),
                    s.serverPackets(), s.serverBytes(), s.sourceNotAllowedDelta(), s.spooferPacketsWritten()));
        }
        IsolationResult iso = r.isolation();
        if (iso != null) {
            b.append("\n## Flood from one site\n\n");
            b.append("Flood from `").append(iso.floodSite()).append("`: ").append(iso.flood())
                    .append(". Remote portal drops over the flooded runs: ").append(iso.floodDropped())
                    .append(". Runs alternate without and with the flood; medians of ").append(iso.runs())
                    .append(" each.\n\n| site | without flood Mbit/s | with flood Mbit/s | with / without |\n"
                            + "|---|---|---|---|\n");
            for (Map.Entry<String, Double> e : iso.medianWithoutMbit().entrySet()) {
                Double w = e.getValue();
                Double f = iso.medianWithMbit().get(e.getKey());
                b.append("| ").append(e.getKey()).append(" | ").append(f1(w)).append(" | ").append(f1(f))
                        .append(" | ").append(f3(w == null || f == null || w == 0 ? null : f / w)).append(" |\n");
            }
        }
        RemovalResult rm = r.removal();
        if (rm != null) {
            b.append("\n## Removing a site (config rewritten, SIGHUP)\n\n");
            b.append(String.format(Locale.ROOT, "Every site's outbound flow for %d s; `%s` removed at %.1f s; the "
                    + "remote's status stopped listing it %d ms after SIGHUP. The server got %.1f Mbit/s from it "
                    + "before, and **%d bytes** from 1 s after the SIGHUP on.%n%n", rm.seconds(), rm.removed(),
                    rm.removeAtSec(), rm.reloadMillis(), rm.removedMbitBefore(), rm.removedBytesAfter()));
            b.append("| surviving site | goodput Mbit/s | ratio | lowest 0.5 s interval after the removal | mean after |\n");
            b.append("|---|---|---|---|---|\n");
            for (PeerFlow f : rm.survivors()) {
                b.append("| ").append(f.site()).append(" | ").append(f1(f.goodputMbit())).append(" | ")
                        .append(f3(f.ratio())).append(" | ").append(f1(rm.survivorMinAfterMbit().get(f.site())))
                        .append(" | ").append(f1(rm.survivorMeanAfterMbit().get(f.site()))).append(" |\n");
            }
        }
        return b.toString();
    }

    private static void goodputChart(MultiPeerResults r, Path png) {
        List<String> cats = new ArrayList<>();
        List<Double> at = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        List<Double> sum = new ArrayList<>();
        for (SiteSummary s : r.summary()) {
            cats.add(s.site() + " " + s.direction());
            at.add(zero(s.medianMbit()));
            alone.add(zero(s.soloMbit()));
            sum.add(s.linkSumMbit());
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
                .title("many local portals, one remote portal: each site's goodput (" + r.transport() + ", "
                        + r.cc() + ")").xAxisTitle("site / direction").yAxisTitle("goodput (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("all sites at once (median)", cats, at);
        if (alone.stream().anyMatch(d -> d > 0)) {
            chart.addSeries("site alone", cats, alone);
        }
        chart.addSeries("its link sum", cats, sum);
        save(chart, png);
    }

    private static void removalChart(RemovalResult rm, Path png) {
        XYChart chart = new XYChartBuilder().width(1000).height(560)
                .title("removing " + rm.removed() + " from the remote portal (config rewritten + SIGHUP) mid-flow")
                .xAxisTitle("time (s)").yAxisTitle("received by the server (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        double[] t = rm.sampleSec();
        double top = 1;
        for (Map.Entry<String, double[]> e : rm.serverMbit().entrySet()) {
            double[] v = e.getValue();
            if (v.length == 0) {
                continue;
            }
            double[] x = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                x[i] = t[i + 1];
                top = Math.max(top, v[i]);
            }
            XYSeries s = chart.addSeries(e.getKey(), x, v);
            s.setMarker(SeriesMarkers.NONE);
        }
        XYSeries ev = chart.addSeries("removal @" + String.format(Locale.ROOT, "%.1f", rm.removeAtSec()) + "s",
                new double[] {rm.removeAtSec(), rm.removeAtSec()}, new double[] {0, top * 1.05});
        ev.setLineColor(Color.DARK_GRAY);
        ev.setLineStyle(SeriesLines.DASH_DASH);
        ev.setMarker(SeriesMarkers.NONE);
        save(chart, png);
    }

    private static void save(org.knowm.xchart.internal.chartpart.IChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new LabException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static double zero(Double d) {
        return d == null ? 0 : d;
    }

    static String f1(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f", d);
    }

    static String f3(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }
}
