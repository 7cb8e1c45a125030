package dev.multipath.lab.report;

import java.util.List;

/**
 * One iperf3 flow in results.json. Null numbers mean "not measured". Immutable.
 *
 * @param goodputMbit    receiver-side goodput over the flow
 * @param intervalsMbit  receiver-side goodput per interval
 * @param intervalSec    interval length
 * @param meanRttMs      the sender's mean TCP RTT from iperf3
 * @param retransmits    the sender's retransmitted segments
 * @param pingAvgMs      ping client to server during the flow (tunnel runs only): average
 * @param pingMaxMs      ping maximum
 * @param pingLossPct    ping loss
 * @param cpuLocalPct    local portal CPU use, % of one core (when the scenario measures CPU)
 * @param cpuRemotePct   remote portal CPU use, % of one core
 * @param linkMbit       tunnel runs: Mbit/s each link carried in the data direction (wire bytes, tunnel headers
 *                       included), index 0 = link 1; null for baselines
 * @param error          iperf3's error, null if the flow completed
 */
public record RunRecord(double goodputMbit, List<Double> intervalsMbit, double intervalSec, Double meanRttMs,
        Long retransmits, Double pingAvgMs, Double pingMaxMs, Double pingLossPct, Double cpuLocalPct,
        Double cpuRemotePct, List<Double> linkMbit, String error) {

    /** NaN becomes null so that results.json stays standard JSON. */
    public static Double orNull(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }
}
