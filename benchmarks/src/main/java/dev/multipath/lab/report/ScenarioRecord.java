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
 * @param scheduler   the portals' scheduler when the lab named one ({@code --scheduler}); null = the portal's "auto"
 */
public record ScenarioRecord(String name, String description, String transport, String cc, int durationSec,
        List<LinkSpec> links, List<LinkEvent> events, List<DirectionRecord> directions, String startedAt,
        double seconds, String scheduler) {

    /** A record without a named scheduler. */
    public ScenarioRecord(String name, String description, String transport, String cc, int durationSec,
            List<LinkSpec> links, List<LinkEvent> events, List<DirectionRecord> directions, String startedAt,
            double seconds) {
        this(name, description, transport, cc, durationSec, links, events, directions, startedAt, seconds, null);
    }

    /** The scheduler's name for labels and file names: the named one, else {@code auto}. */
    public String schedulerLabel() {
        return scheduler == null ? "auto" : scheduler;
    }
}
