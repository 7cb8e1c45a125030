package dev.multipath.lab.report;

import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 5's failover figures from one run's receiver intervals, for a scenario that cuts one link (interface down or
 * black hole) and restores it later:
 * <ul>
 *   <li><b>stall</b>: how long, between the cut and the restore, the intervals stay below half of what the surviving
 *       links carry alone (their declared rates x 0.956, the direct-link ceiling), in seconds (a whole interval
 *       counts once it is below);</li>
 *   <li><b>recovery</b>: seconds from the restore until the end of the first interval that reaches 90 % of the
 *       goodput before the cut (median of the intervals from 1 s to the cut); NaN if it never does.</li>
 * </ul>
 * Stateless; no I/O.
 */
public final class FailoverFigures {

    /** Goodput over goodput of a direct link: 1448 B of TCP payload per 1514 B frame. */
    static final double DIRECT_CEILING = 0.956;

    /** The figures of one run: seconds of stall and seconds to recover. */
    public record Figures(double stallSec, double recoverySec) {
    }

    private FailoverFigures() {
    }

    /** Whether the scenario cuts a link and restores it (so that {@link #of} applies). */
    public static boolean applies(List<LinkEvent> events) {
        return cut(events) != null && restore(events) != null;
    }

    /**
     * @param intervalsMbit the run's receiver intervals, in order from the flow's start
     * @param intervalSec   their length
     */
    public static Figures of(List<LinkSpec> links, List<LinkEvent> events, List<Double> intervalsMbit,
            double intervalSec) {
        LinkEvent cut = cut(events);
        LinkEvent restore = restore(events);
        if (cut == null || restore == null || intervalSec <= 0 || intervalsMbit.isEmpty()) {
            return new Figures(Double.NaN, Double.NaN);
        }
        double surviving = 0;
        for (int i = 0; i < links.size(); i++) {
            if (i + 1 != cut.link()) {
                surviving += links.get(i).rateMbit() * DIRECT_CEILING;
            }
        }
        int cutIndex = (int) Math.floor(cut.atSec() / intervalSec);
        int restoreIndex = (int) Math.floor(restore.atSec() / intervalSec);
        int stalled = 0;
        for (int i = cutIndex; i < Math.min(restoreIndex, intervalsMbit.size()); i++) {
            if (intervalsMbit.get(i) < surviving / 2) {
                stalled++;
            }
        }
        int from = (int) Math.ceil(1.0 / intervalSec);
        double[] before = intervalsMbit.subList(Math.min(from, cutIndex), Math.min(cutIndex, intervalsMbit.size()))
                .stream().mapToDouble(Double::doubleValue).toArray();
        double recovery = Double.NaN;
        if (before.length > 0) {
            double target = 0.9 * median(before);
            // The last interval may be a partial one (iperf3's tail): leave it out.
            for (int i = restoreIndex; i < intervalsMbit.size() - 1; i++) {
                if (intervalsMbit.get(i) >= target) {
                    recovery = (i + 1) * intervalSec - restore.atSec();
                    break;
                }
            }
        }
        return new Figures(stalled * intervalSec, recovery);
    }

    private static LinkEvent cut(List<LinkEvent> events) {
        return events.stream().filter(e -> e.kind() == LinkEvent.Kind.DOWN || e.kind() == LinkEvent.Kind.BLACKHOLE)
                .findFirst().orElse(null);
    }

    private static LinkEvent restore(List<LinkEvent> events) {
        LinkEvent cut = cut(events);
        return cut == null ? null : events.stream()
                .filter(e -> e.kind() == LinkEvent.Kind.RESTORE && e.link() == cut.link() && e.atSec() > cut.atSec())
                .findFirst().orElse(null);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
