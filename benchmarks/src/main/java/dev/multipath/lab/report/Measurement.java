package dev.multipath.lab.report;

import dev.multipath.lab.measure.Stats;
import java.util.List;

/**
 * The repeated runs of one test (tunnel or one link alone, one direction) and their summary. Immutable.
 *
 * @param runs         every run, in order
 * @param medianMbit   median goodput over the completed runs
 * @param minMbit      minimum
 * @param maxMbit      maximum
 * @param cov          coefficient of variation of goodput (null below two runs)
 * @param meanRttMs    median over runs of iperf3's mean TCP RTT
 * @param pingAvgMs    median over runs of the average ping under load
 * @param cpuLocalPct  median local portal CPU %
 * @param cpuRemotePct median remote portal CPU %
 * @param error        why the test could not run at all (e.g. the portals did not start), else null
 */
public record Measurement(List<RunRecord> runs, Double medianMbit, Double minMbit, Double maxMbit, Double cov,
        Double meanRttMs, Double pingAvgMs, Double cpuLocalPct, Double cpuRemotePct, String error) {

    /** Summarises {@code runs}. */
    public static Measurement of(List<RunRecord> runs) {
        double[] g = runs.stream().filter(r -> r.error() == null).mapToDouble(RunRecord::goodputMbit).toArray();
        return new Measurement(List.copyOf(runs), RunRecord.orNull(Stats.median(g)), RunRecord.orNull(Stats.min(g)),
                RunRecord.orNull(Stats.max(g)), RunRecord.orNull(Stats.cov(g)),
                medianOf(runs.stream().map(RunRecord::meanRttMs).toList()),
                medianOf(runs.stream().map(RunRecord::pingAvgMs).toList()),
                medianOf(runs.stream().map(RunRecord::cpuLocalPct).toList()),
                medianOf(runs.stream().map(RunRecord::cpuRemotePct).toList()), null);
    }

    /** A test that could not run. */
    public static Measurement failed(String error) {
        return new Measurement(List.of(), null, null, null, null, null, null, null, null, error);
    }

    private static Double medianOf(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null).mapToDouble(Double::doubleValue).toArray();
        return RunRecord.orNull(Stats.median(v));
    }
}
