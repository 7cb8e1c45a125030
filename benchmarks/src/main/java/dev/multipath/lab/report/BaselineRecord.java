package dev.multipath.lab.report;

/**
 * One link alone, no tunnel (the same shape as in the scenario), one direction. Immutable.
 *
 * @param link        1-based link index
 * @param linkLabel   the link's shape, e.g. {@code 10M/5ms}
 * @param sameAs      other link indexes with the same shape, measured once for all of them
 * @param measurement the runs
 */
public record BaselineRecord(int link, String linkLabel, java.util.List<Integer> sameAs, Measurement measurement) {
}
