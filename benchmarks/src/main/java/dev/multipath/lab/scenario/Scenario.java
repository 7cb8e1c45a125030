package dev.multipath.lab.scenario;

import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.util.List;

/**
 * One lab scenario: the links, the events scripted during every tunnel flow, the flow length, and whether to sample
 * the portals' CPU use. Immutable.
 *
 * @param name        short unique name used on the command line and in file names
 * @param description what it shows (and which success criterion of the seed it covers)
 * @param links       the links, 1-based in events
 * @param events      link changes during each tunnel flow (not during baselines)
 * @param durationSec length of each iperf3 flow
 * @param measureCpu  sample each portal's CPU use from /proc/PID/stat during tunnel flows
 */
public record Scenario(String name, String description, List<LinkSpec> links, List<LinkEvent> events,
        int durationSec, boolean measureCpu) {

    public Scenario {
        links = List.copyOf(links);
        events = List.copyOf(events);
    }

    /** Sum of the declared link rates in Mbit/s; NaN if any link is unshaped. */
    public double linkSumMbit() {
        double s = 0;
        for (LinkSpec l : links) {
            if (l.rateMbit() <= 0) {
                return Double.NaN;
            }
            s += l.rateMbit();
        }
        return s;
    }

    /** Links as a label, e.g. {@code 10M + 20M}. */
    public String linksLabel() {
        StringBuilder b = new StringBuilder();
        for (LinkSpec l : links) {
            if (b.length() > 0) {
                b.append(" + ");
            }
            b.append(l.label());
        }
        return b.toString();
    }
}
