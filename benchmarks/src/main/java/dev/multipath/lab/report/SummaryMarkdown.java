package dev.multipath.lab.report;

import java.util.List;
import java.util.Locale;

/** Renders summary.md: one row per scenario and direction. Stateless. */
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    /** The markdown text for {@code r}. */
    public static String render(LabResults r) {
        StringBuilder b = new StringBuilder();
        b.append("# Lab summary\n\n");
        b.append("Generated ").append(r.generated()).append(" on ").append(r.machine()).append("  \n");
        b.append("Command: `").append(r.command()).append("`\n\n");
        b.append("Goodput in Mbit/s: median (min-max) over runs. Ratio = tunnel median / sum of link rates ")
                .append("(a direct link reaches 0.956). Alone = each link without the tunnel, summed over links.\n\n");
        b.append("| scenario | links | dir | transport/cc | tunnel | runs | CoV | link sum | ratio | alone sum | ")
                .append("vs alone | vs best link | TCP RTT ms | ping ms | CPU lp/rp % | per link Mbit/s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioRecord s : r.scenarios()) {
            String links = linksLabel(s);
            for (DirectionRecord d : s.directions()) {
                Measurement t = d.tunnel();
                b.append("| ").append(s.name()).append(" | ").append(links).append(" | ").append(d.direction())
                        .append(" | ").append(s.transport()).append('/').append(s.cc())
                        .append(s.scheduler() != null ? "/" + s.scheduler() : "").append(" | ");
                if (t.medianMbit() == null) {
                    b.append("not measured").append(t.error() != null ? ": " + oneLine(t.error()) : "");
                } else {
                    b.append(f(t.medianMbit())).append(" (").append(f(t.minMbit())).append('-')
                            .append(f(t.maxMbit())).append(')');
                }
                b.append(" | ").append(t.runs().size()).append(" | ").append(pct(t.cov())).append(" | ")
                        .append(f(d.linkSumMbit())).append(" | ").append(f3(d.ratio())).append(" | ")
                        .append(f(d.baselineSumMbit())).append(" | ").append(f3(d.ratioToBaselineSum()))
                        .append(" | ").append(f3(d.ratioToBestLink())).append(" | ").append(f(t.meanRttMs()))
                        .append(" | ").append(f(t.pingAvgMs())).append(" | ");
                if (t.cpuLocalPct() != null || t.cpuRemotePct() != null) {
                    b.append(f(t.cpuLocalPct())).append(" / ").append(f(t.cpuRemotePct()));
                } else {
                    b.append('-');
                }
                b.append(" | ").append(perLink(t)).append(" |\n");
            }
        }
        appendFailover(b, r);
        return b.toString();
    }

    /** Per run of each scenario that cuts and restores a link: the stall and the recovery ({@link FailoverFigures}). */
    private static void appendFailover(StringBuilder b, LabResults r) {
        boolean header = false;
        for (ScenarioRecord s : r.scenarios()) {
            if (!FailoverFigures.applies(s.events())) {
                continue;
            }
            if (!header) {
                b.append("\n## Failover\n\nStall: time between cut and restore with 0.5 s intervals below half of")
                        .append(" what the surviving links carry alone. Recovery: time from the restore to the end of")
                        .append(" the first interval at 90 % of the goodput before the cut. One value per run.\n\n")
                        .append("| scenario | dir | stall s | recovery s |\n|---|---|---|---|\n");
                header = true;
            }
            for (DirectionRecord d : s.directions()) {
                StringBuilder stall = new StringBuilder();
                StringBuilder recovery = new StringBuilder();
                for (RunRecord run : d.tunnel().runs()) {
                    FailoverFigures.Figures f = FailoverFigures.of(s.links(), s.events(), run.intervalsMbit(),
                            run.intervalSec());
                    stall.append(stall.length() > 0 ? ", " : "").append(f(RunRecord.orNull(f.stallSec())));
                    recovery.append(recovery.length() > 0 ? ", " : "")
                            .append(Double.isNaN(f.recoverySec()) ? "never" : f(f.recoverySec()));
                }
                b.append("| ").append(s.name()).append(" | ").append(d.direction()).append(" | ").append(stall)
                        .append(" | ").append(recovery).append(" |\n");
            }
        }
    }

    /** Median over runs of what each link carried in the data direction, e.g. {@code 9.1 / 0.2}; - if unknown. */
    static String perLink(Measurement t) {
        List<List<Double>> runs = t.runs().stream().map(RunRecord::linkMbit).filter(l -> l != null && !l.isEmpty())
                .toList();
        if (runs.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < runs.get(0).size(); i++) {
            final int k = i;
            double[] v = runs.stream().filter(l -> l.size() > k && l.get(k) != null).mapToDouble(l -> l.get(k))
                    .toArray();
            b.append(i > 0 ? " / " : "").append(f(RunRecord.orNull(dev.multipath.lab.measure.Stats.median(v))));
        }
        return b.toString();
    }

    static String linksLabel(ScenarioRecord s) {
        StringBuilder b = new StringBuilder();
        s.links().forEach(l -> b.append(b.length() > 0 ? " + " : "").append(l.label()));
        return b.toString();
    }

    private static String oneLine(String s) {
        String first = s.lines().findFirst().orElse("");
        return first.length() > 80 ? first.substring(0, 80) + "..." : first;
    }

    private static String f(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f3(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f %%", v * 100);
    }
}
