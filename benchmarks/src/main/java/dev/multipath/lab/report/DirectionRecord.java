package dev.multipath.lab.report;

import java.util.List;

/**
 * One direction of one scenario. Immutable.
 *
 * @param direction          {@code outbound} (client to server) or {@code inbound} (server to client, iperf3 -R)
 * @param tunnel             the flow through the portals
 * @param baselines          each link alone (links with the same shape measured once)
 * @param linkSumMbit        sum of the declared link rates (null when unshaped)
 * @param baselineSumMbit    sum over all links of their alone median (the direct-link ceiling of this shape)
 * @param ratio              tunnel median / link sum (a direct link reaches 0.956)
 * @param ratioToBaselineSum tunnel median / baseline sum
 * @param ratioToBestLink    tunnel median / best single link alone
 */
public record DirectionRecord(String direction, Measurement tunnel, List<BaselineRecord> baselines, Double linkSumMbit,
        Double baselineSumMbit, Double ratio, Double ratioToBaselineSum, Double ratioToBestLink) {
}
