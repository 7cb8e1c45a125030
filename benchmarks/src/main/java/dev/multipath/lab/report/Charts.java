package dev.multipath.lab.report;

import dev.multipath.lab.LabException;
import dev.multipath.lab.topo.LinkEvent;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * PNG graphs drawn with XChart (headless): throughput over time per scenario with 1.5 sigma error bars over the runs
 * and dashed event markers (the seed's figures), and comparison bar charts across scenarios. Stateless; AWT headless
 * mode is switched on before the first chart.
 */
public final class Charts {
    private static final double SIGMAS = 1.5;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Throughput over time of the tunnel, outbound and inbound, with each link alone for reference. */
    public static void timeSeries(ScenarioRecord s, Path png) {
        XYChart chart = new XYChartBuilder().width(1000).height(560)
                .title(s.name() + ": " + SummaryMarkdown.linksLabel(s) + " (" + s.transport() + ", " + s.cc()
                        + (s.scheduler() != null ? ", " + s.scheduler() : "") + ")")
                .xAxisTitle("time (s)").yAxisTitle("goodput (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setXAxisMin(0.0);
        chart.getStyler().setYAxisMin(0.0);
        double top = 1;
        for (DirectionRecord d : s.directions()) {
            top = Math.max(top, addMeanSeries(chart, "tunnel " + d.direction(), d.tunnel().runs(), true, null));
        }
        for (DirectionRecord d : s.directions()) {
            for (BaselineRecord b : d.baselines()) {
                top = Math.max(top, addMeanSeries(chart, "link " + b.link() + " alone " + d.direction(),
                        b.measurement().runs(), false, SeriesLines.DOT_DOT));
            }
        }
        DirectionRecord first = s.directions().get(0);
        double end = s.durationSec();
        if (first.linkSumMbit() != null) {
            top = Math.max(top, first.linkSumMbit());
            XYSeries sum = chart.addSeries("link sum", new double[] {0, end},
                    new double[] {first.linkSumMbit(), first.linkSumMbit()});
            dashed(sum, Color.GRAY);
        }
        for (LinkEvent e : s.events()) {
            XYSeries ev = chart.addSeries(e.label() + " @" + e.atSec() + "s", new double[] {e.atSec(), e.atSec()},
                    new double[] {0, top * 1.05});
            dashed(ev, Color.DARK_GRAY);
        }
        save(chart, png);
    }

    /**
     * Adds the mean over {@code runs} per interval, with 1.5 sigma error bars if {@code errorBars}; returns the
     * highest value drawn (0 if nothing).
     */
    private static double addMeanSeries(XYChart chart, String name, List<RunRecord> runs, boolean errorBars,
            java.awt.BasicStroke stroke) {
        List<List<Double>> series = runs.stream().map(RunRecord::intervalsMbit).filter(Objects::nonNull)
                .filter(l -> !l.isEmpty()).toList();
        if (series.isEmpty()) {
            return 0;
        }
        double step = runs.get(0).intervalSec() > 0 ? runs.get(0).intervalSec() : 0.5;
        int n = series.stream().mapToInt(List::size).max().orElse(0);
        double[] x = new double[n];
        double[] y = new double[n];
        double[] err = new double[n];
        double top = 0;
        for (int i = 0; i < n; i++) {
            List<Double> v = new ArrayList<>();
            for (List<Double> s : series) {
                if (i < s.size()) {
                    v.add(s.get(i));
                }
            }
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double var = v.size() < 2 ? 0
                    : v.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (v.size() - 1);
            x[i] = (i + 1) * step;
            y[i] = mean;
            err[i] = SIGMAS * Math.sqrt(var);
            top = Math.max(top, mean + err[i]);
        }
        XYSeries s = errorBars ? chart.addSeries(name, x, y, err) : chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        if (stroke != null) {
            s.setLineStyle(stroke);
        }
        return top;
    }

    private static void dashed(XYSeries s, Color c) {
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(c);
        s.setMarker(SeriesMarkers.NONE);
    }

    /**
     * A bar chart comparing scenarios: tunnel median outbound and inbound, the link sum and the links alone summed.
     * Scenarios missing from {@code byName} are left out; nothing is written if none remain.
     */
    public static boolean comparison(String title, List<String> names, Map<String, ScenarioRecord> byName, Path png) {
        List<String> cats = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> sum = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        for (String n : names) {
            ScenarioRecord s = byName.get(n);
            if (s == null) {
                continue;
            }
            cats.add(n + "\n" + SummaryMarkdown.linksLabel(s));
            out.add(zero(dir(s, "outbound").map(d -> d.tunnel().medianMbit()).orElse(null)));
            in.add(zero(dir(s, "inbound").map(d -> d.tunnel().medianMbit()).orElse(null)));
            sum.add(zero(s.directions().get(0).linkSumMbit()));
            alone.add(zero(s.directions().get(0).baselineSumMbit()));
        }
        if (cats.isEmpty()) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title(title)
                .xAxisTitle("scenario").yAxisTitle("goodput (Mbit/s)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("tunnel outbound (median)", cats, out);
        chart.addSeries("tunnel inbound (median)", cats, in);
        chart.addSeries("links alone, summed (outbound)", cats, alone);
        chart.addSeries("link rate sum", cats, sum);
        save(chart, png);
        return true;
    }

    /**
     * A bar chart comparing transports: one category per scenario and direction, one bar per transport, each the
     * tunnel median / link sum. (One category per scenario and transport put two words on each axis label, and the
     * chart library dropped every other label once the run had more than a few scenarios.)
     */
    public static void transports(List<ScenarioRecord> scenarios, Path png) {
        List<String> cats = new ArrayList<>();
        Map<String, Map<String, Double>> byTransport = new LinkedHashMap<>();
        for (ScenarioRecord s : scenarios) {
            for (DirectionRecord d : s.directions()) {
                String cat = s.name() + " " + (d.direction().equals("outbound") ? "out" : "in");
                if (!cats.contains(cat)) {
                    cats.add(cat);
                }
                Double ratio = d.ratio();
                byTransport.computeIfAbsent(s.transport(), k -> new LinkedHashMap<>()).put(cat,
                        ratio == null || ratio.isNaN() ? 0.0 : ratio);
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title("compare: transports (tunnel goodput / sum of link rates, median)")
                .xAxisTitle("scenario, direction").yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(30);
        for (Map.Entry<String, Map<String, Double>> e : byTransport.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (String c : cats) {
                y.add(e.getValue().getOrDefault(c, 0.0));
            }
            chart.addSeries(e.getKey(), cats, y);
        }
        save(chart, png);
    }

    /**
     * A bar chart comparing schedulers: one category per scenario and direction, one bar per scheduler (and
     * transport, if several), each the tunnel median / link sum; error bars span half the min-max range. A gray bar
     * is the best single link alone (as a ratio to the link sum) of each category.
     */
    public static void schedulers(List<ScenarioRecord> scenarios, Path png) {
        List<String> cats = new ArrayList<>();
        Map<String, Map<String, double[]>> bySeries = new LinkedHashMap<>();
        Map<String, Double> best = new LinkedHashMap<>();
        boolean manyTransports = scenarios.stream().map(ScenarioRecord::transport).distinct().count() > 1;
        for (ScenarioRecord s : scenarios) {
            for (DirectionRecord d : s.directions()) {
                String cat = s.name() + " " + (d.direction().equals("outbound") ? "out" : "in");
                if (!cats.contains(cat)) {
                    cats.add(cat);
                }
                String series = s.schedulerLabel() + (manyTransports ? " / " + s.transport() : "");
                Measurement t = d.tunnel();
                double sum = d.linkSumMbit() == null ? Double.NaN : d.linkSumMbit();
                double ratio = t.medianMbit() == null ? 0 : t.medianMbit() / sum;
                double err = t.minMbit() == null ? 0 : (t.maxMbit() - t.minMbit()) / 2 / sum;
                bySeries.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(cat,
                        new double[] {Double.isNaN(ratio) ? 0 : ratio, Double.isNaN(err) ? 0 : err});
                double bestAlone = d.baselines().stream().map(b -> b.measurement().medianMbit())
                        .filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                if (!Double.isNaN(bestAlone / sum)) {
                    best.put(cat, bestAlone / sum);
                }
            }
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title("compare: schedulers (goodput / sum of link rates; error bars: half the min-max range)")
                .xAxisTitle("scenario, direction").yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        for (Map.Entry<String, Map<String, double[]>> e : bySeries.entrySet()) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String c : cats) {
                double[] v = e.getValue().getOrDefault(c, new double[] {0, 0});
                y.add(v[0]);
                err.add(v[1]);
            }
            chart.addSeries(e.getKey(), cats, y, err);
        }
        if (!best.isEmpty()) {
            List<Double> y = new ArrayList<>();
            for (String c : cats) {
                y.add(best.getOrDefault(c, 0.0));
            }
            chart.addSeries("best single link alone", cats, y).setFillColor(Color.GRAY);
        }
        save(chart, png);
    }

    /** A bar chart of every scenario's ratio (tunnel median / link sum), outbound and inbound. */
    public static boolean ratios(List<ScenarioRecord> scenarios, Path png) {
        List<String> cats = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        for (ScenarioRecord s : scenarios) {
            Double o = dir(s, "outbound").map(DirectionRecord::ratio).orElse(null);
            Double i = dir(s, "inbound").map(DirectionRecord::ratio).orElse(null);
            if (o == null && i == null) {
                continue;
            }
            cats.add(s.name());
            out.add(zero(o));
            in.add(zero(i));
        }
        if (cats.isEmpty()) {
            return false;
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(560)
                .title("goodput / sum of link rates (a direct link reaches 0.956)").xAxisTitle("scenario")
                .yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisMin(0.0);
        chart.addSeries("outbound", cats, out);
        chart.addSeries("inbound", cats, in);
        save(chart, png);
        return true;
    }

    private static java.util.Optional<DirectionRecord> dir(ScenarioRecord s, String name) {
        return s.directions().stream().filter(d -> d.direction().equals(name)).findFirst();
    }

    private static double zero(Double d) {
        return d == null ? 0 : d;
    }

    private static void save(org.knowm.xchart.internal.chartpart.IChart chart, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new LabException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
