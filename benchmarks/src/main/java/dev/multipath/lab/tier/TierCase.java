package dev.multipath.lab.tier;

import java.util.List;

/**
 * The runs of one kind of cut in one direction, with medians (min-max) over the runs. Immutable.
 *
 * @param name              e.g. {@code down-outbound}
 * @param cut               {@code down} (the local portal's interface goes down) or {@code blackhole} (silent drop
 *                          at both ends, interfaces stay up)
 * @param direction         {@code outbound} or {@code inbound} (iperf3 -R)
 * @param takeoverSec       median over runs (null if any run never took over)
 * @param takeoverMinSec    minimum
 * @param takeoverMaxSec    maximum (null if any run never took over)
 * @param firstBackupSec    median
 * @param flowRecoverySec   median
 * @param backupBeforeMbit  median
 * @param primaryBeforeMbit median
 * @param goodputAfterMbit  median
 * @param completedRuns     runs whose flow ended normally (the flow never reset)
 * @param runs              every run
 */
public record TierCase(String name, String cut, String direction, Double takeoverSec, Double takeoverMinSec,
        Double takeoverMaxSec, Double firstBackupSec, Double flowRecoverySec, Double backupBeforeMbit,
        Double primaryBeforeMbit, Double goodputAfterMbit, int completedRuns, List<TierRun> runs) {
}
