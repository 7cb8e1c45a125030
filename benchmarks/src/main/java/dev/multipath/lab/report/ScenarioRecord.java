package dev.multipath.lab.report;

import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.util.List;

/**
 * One scenario's results. Immutable.
 *
 * @param name        scenario name
 * @param description what it shows
 * @param transport   the portals' transport
 * @param cc          TCP congestion control of the iperf3 flow
 * @param durationSec flow length
 * @param links       link shapes
 * @param events      scripted events during tunnel flows
 * @param directions  outbound and inbound
 * @param startedAt   ISO-8601 start time
 * @param seconds     wall time the scenario took
 */
public record ScenarioRecord(String name, String description, String transport, String cc, int durationSec,
        List<LinkSpec> links, List<LinkEvent> events, List<DirectionRecord> directions, String startedAt,
        double seconds) {
}
