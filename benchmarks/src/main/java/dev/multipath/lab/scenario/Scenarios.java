package dev.multipath.lab.scenario;

import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of scenarios (the seed's success criteria as lab runs) and the groups drawn as comparison charts.
 * Flows are short (8 s, 10 s with events) so that {@code ./lab all} fits in 45 minutes. Stateless.
 */
public final class Scenarios {
    private static final int FLOW = 8;
    private static final int FLOW_EVENTS = 10;

    private Scenarios() {
    }

    /** Every scenario {@code ./lab all} runs, in order. */
    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(plain("single", "one 10 Mbit link: the tunnel's cost against the bare link", 1, 10));
        s.add(plain("two-equal", "2 x 10 Mbit: one flow gets both links (criterion 5)", 2, 10));
        s.add(of("unequal-10-20", "10 + 20 Mbit (extended 1)", List.of(LinkSpec.rate(10), LinkSpec.rate(20)),
                List.of(), FLOW, false));
        s.add(plain("two-20", "2 x 20 Mbit (extended 1, against 10 + 20)", 2, 20));
        s.add(plain("three-equal", "3 x 10 Mbit (extended 2)", 3, 10));
        s.add(plain("four-equal", "4 x 10 Mbit (extended 2)", 4, 10));
        s.add(of("rate-halved", "2 x 10 Mbit, link 1 halved to 5 Mbit at 3 s, restored at 7 s (extended 3)",
                equal(2, 10), List.of(LinkEvent.rate(3, 1, 5), LinkEvent.restore(7, 1)), FLOW_EVENTS, false));
        s.add(of("link-down", "2 x 10 Mbit, link 1 interface down at 3 s, up at 6 s (criterion 1, extended 4)",
                equal(2, 10), List.of(LinkEvent.down(3, 1), LinkEvent.restore(6, 1)), FLOW_EVENTS, false));
        s.add(of("blackhole", "2 x 10 Mbit, link 1 silently drops everything from 3 s to 6 s (extended 4)",
                equal(2, 10), List.of(LinkEvent.blackhole(3, 1), LinkEvent.restore(6, 1)), FLOW_EVENTS, false));
        s.add(of("rate-delay", "10 Mbit / 5 ms + 40 Mbit / 30 ms one-way: unequal rate and delay",
                List.of(LinkSpec.rate(10).withDelay(5), LinkSpec.rate(40).withDelay(30)), List.of(), FLOW, false));
        s.add(of("three-unequal", "6 Mbit / 8 ms + 18 Mbit / 25 ms + 30 Mbit / 60 ms one-way: three unlike links",
                List.of(LinkSpec.rate(6).withDelay(8), LinkSpec.rate(18).withDelay(25),
                        LinkSpec.rate(30).withDelay(60)), List.of(), FLOW, false));
        s.add(of("loss-1pct", "2 x 10 Mbit, 1 % random loss on link 1",
                List.of(LinkSpec.rate(10).withLoss(1), LinkSpec.rate(10)), List.of(), FLOW, false));
        // The same link sets with 20 ms RTT links (10 ms each way), as the peers' figures are quoted both ways.
        s.add(of("single-rtt20", "one 10 Mbit link, 20 ms RTT", delayed(equal(1, 10), 10), List.of(), FLOW, false));
        s.add(of("two-equal-rtt20", "2 x 10 Mbit, 20 ms RTT links", delayed(equal(2, 10), 10), List.of(), FLOW,
                false));
        s.add(of("unequal-10-20-rtt20", "10 + 20 Mbit, 20 ms RTT links",
                delayed(List.of(LinkSpec.rate(10), LinkSpec.rate(20)), 10), List.of(), FLOW, false));
        s.add(of("four-equal-rtt20", "4 x 10 Mbit, 20 ms RTT links", delayed(equal(4, 10), 10), List.of(), FLOW,
                false));
        s.add(plain("fast-100", "2 x 100 Mbit", 2, 100));
        s.add(plain("fast-500", "2 x 500 Mbit", 2, 500));
        for (int n = 5; n <= 8; n++) {
            s.add(plain("links-" + n, n + " x 10 Mbit (more links)", n, 10));
        }
        s.add(of("unshaped-1", "1 unshaped link: CPU-bound, with each portal's CPU use",
                List.of(LinkSpec.unshaped()), List.of(), FLOW, true));
        s.add(of("unshaped", "2 unshaped links: CPU-bound, with each portal's CPU use",
                List.of(LinkSpec.unshaped(), LinkSpec.unshaped()), List.of(), FLOW, true));
        return Collections.unmodifiableList(s);
    }

    /** The CI smoke scenario: 2 x 10 Mbit, short flows; not part of {@code all}. */
    public static Scenario smoke() {
        return of("smoke", "CI smoke test: 2 x 10 Mbit, 5 s flows", equal(2, 10), List.of(), 5, false);
    }

    /** Looks a scenario up by name (including {@code smoke}). */
    public static Optional<Scenario> byName(String name) {
        if (name.equals("smoke")) {
            return Optional.of(smoke());
        }
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Comparison charts: title to the scenario names it compares, in order. */
    public static Map<String, List<String>> comparisonGroups() {
        Map<String, List<String>> g = new LinkedHashMap<>();
        g.put("equal-links", List.of("single", "two-equal", "three-equal", "four-equal"));
        g.put("unequal", List.of("unequal-10-20", "two-equal", "two-20"));
        g.put("more-links", List.of("single", "two-equal", "three-equal", "four-equal", "links-5", "links-6",
                "links-7", "links-8"));
        g.put("faster", List.of("two-equal", "fast-100", "fast-500"));
        g.put("rtt20", List.of("single-rtt20", "two-equal-rtt20", "unequal-10-20-rtt20", "four-equal-rtt20"));
        g.put("unequal-delay", List.of("rate-delay", "three-unequal"));
        g.put("cpu-bound", List.of("unshaped-1", "unshaped"));
        return g;
    }

    private static Scenario plain(String name, String description, int n, double mbit) {
        return of(name, description, equal(n, mbit), List.of(), FLOW, false);
    }

    private static List<LinkSpec> delayed(List<LinkSpec> links, double oneWayMs) {
        return links.stream().map(l -> l.withDelay(oneWayMs)).toList();
    }

    private static List<LinkSpec> equal(int n, double mbit) {
        return Collections.nCopies(n, LinkSpec.rate(mbit));
    }

    private static Scenario of(String name, String description, List<LinkSpec> links, List<LinkEvent> events,
            int duration, boolean cpu) {
        return new Scenario(name, description, links, events, duration, cpu);
    }
}
