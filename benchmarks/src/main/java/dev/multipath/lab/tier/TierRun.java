package dev.multipath.lab.tier;

import java.util.List;

/**
 * One flow of the metric-tier scenario: the primary is cut mid-flow, the backup takes over. Times are seconds; null
 * means "did not happen during the flow". Immutable.
 *
 * @param cutAtSec          when the cut began, seconds after the iperf3 client started
 * @param cutTookMs         how long applying the cut took (ip / nft commands)
 * @param primaryBeforeMbit what the primary carried (wire bytes, tunnel headers included) from 1 s to the cut
 * @param backupBeforeMbit  what the backup carried over the same time: about nothing while the primary is alive
 * @param firstBackupSec    from the cut to the end of the first 0.1 s sample in which the backup carried
 *                          at least 10 % of its rate
 * @param takeoverSec       from the cut to the end of the first 0.1 s sample in which the backup carried at least
 *                          half its rate, and did so on average over that sample and the next four
 * @param flowRecoverySec   from the cut to the end of the first 0.1 s iperf3 receiver interval with at least half the
 *                          backup's rate in goodput, on average over it and the next four
 * @param goodputAfterMbit  mean goodput from 2 s after the cut to the end of the flow
 * @param goodputMbit       goodput of the whole flow
 * @param error             iperf3's error (the flow broke), or null
 * @param series            counter samples: {@code [t, primary Mbit/s, backup Mbit/s]}, t = end of the 0.1 s sample
 *                          in seconds after the client started
 * @param intervalsMbit     iperf3 receiver goodput per 0.1 s interval
 * @param remotePaths       the remote portal's paths after the flow as {@code name:metric} (its view of the
 *                          metrics, from {@code portal status --json}); null if it did not answer
 */
public record TierRun(double cutAtSec, double cutTookMs, double primaryBeforeMbit, double backupBeforeMbit,
        Double firstBackupSec, Double takeoverSec, Double flowRecoverySec, double goodputAfterMbit,
        double goodputMbit, String error, List<double[]> series, List<Double> intervalsMbit, List<String> remotePaths) {

    TierRun withRemotePaths(List<String> p) {
        return new TierRun(cutAtSec, cutTookMs, primaryBeforeMbit, backupBeforeMbit, firstBackupSec, takeoverSec,
                flowRecoverySec, goodputAfterMbit, goodputMbit, error, series, intervalsMbit, p);
    }
}
