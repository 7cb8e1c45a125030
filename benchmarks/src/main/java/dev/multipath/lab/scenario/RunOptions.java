package dev.multipath.lab.scenario;

import java.util.List;

/**
 * How to run scenarios. Immutable.
 *
 * @param transport        the portals' transport: tcp, udp or rawip
 * @param cc               iperf3 congestion control: cubic or bbr
 * @param maxRuns          tunnel tests repeat until CoV {@literal <=} covTarget or this many runs
 * @param minRuns          at least this many runs per test
 * @param baselineMaxRuns  same for each-link-alone baselines (shaped links vary little)
 * @param covTarget        stop repeating below this coefficient of variation
 * @param durationOverride flow length in seconds instead of the scenario's (0 = the scenario's)
 * @param baselinesOnly    do not start portals (measure only the links alone)
 * @param directions       which of {@code outbound}, {@code inbound} to measure
 * @param everyLink        measure every link alone, even links with the same shape as an earlier one
 * @param scheduler        the portals' {@code scheduler} key (both portals); null = not written (the portal's "auto")
 * @param parallel         TCP connections per iperf3 flow ({@code -P}); figures are their sum
 * @param ecn              the inner endpoints (client and server namespaces) negotiate ECN ({@code tcp_ecn=1}), so
 *                         the portals' CoDel marks their packets instead of dropping them; off by default, as on
 *                         hosts with the kernel's default ({@code tcp_ecn=2}: ECN only when the peer asks)
 * @param cold             measure the fresh portals' first flows: no unmeasured warm-up flow before the tunnel runs
 *                         (by default every tunnel measurement starts with one, see decision 47)
 */
public record RunOptions(String transport, String cc, int maxRuns, int minRuns, int baselineMaxRuns, double covTarget,
        int durationOverride, boolean baselinesOnly, List<String> directions, boolean everyLink, String scheduler,
        int parallel, boolean ecn, boolean cold) {

    /** The schedulers a portal config accepts (examples' ConfigParser.SCHEDULERS). */
    public static final List<String> SCHEDULERS = List.of("auto", "earliest-arrival", "greedy",
            "weighted-round-robin", "flow");

    public RunOptions {
        if (!transport.equals("tcp") && !transport.equals("udp") && !transport.equals("rawip")) {
            throw new IllegalArgumentException("--transport must be tcp, udp or rawip, not " + transport);
        }
        if (!cc.equals("cubic") && !cc.equals("bbr") && !cc.equals("reno")) {
            throw new IllegalArgumentException("--cc must be cubic or bbr, not " + cc);
        }
        if (maxRuns < 1 || minRuns < 1 || baselineMaxRuns < 1) {
            throw new IllegalArgumentException("run counts must be at least 1");
        }
        if (scheduler != null && !SCHEDULERS.contains(scheduler)) {
            throw new IllegalArgumentException("--scheduler must be one of " + SCHEDULERS + ", not " + scheduler);
        }
        if (parallel < 1 || parallel > 128) {
            throw new IllegalArgumentException("--parallel must be 1..128, not " + parallel);
        }
        directions = List.copyOf(directions);
        for (String d : directions) {
            if (!d.equals("outbound") && !d.equals("inbound")) {
                throw new IllegalArgumentException("direction must be outbound or inbound, not " + d);
            }
        }
    }

    /** The defaults of {@code ./lab run} and {@code ./lab all}: udp (the recommended transport), cubic, 2 to 5 runs, CoV 5 %, both directions. */
    public static RunOptions defaults() {
        return new RunOptions("udp", "cubic", 5, 2, 2, 0.05, 0, false, List.of("outbound", "inbound"), false, null, 1,
                false, false);
    }

    public RunOptions withTransport(String t) {
        return new RunOptions(t, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride, baselinesOnly,
                directions, everyLink, scheduler, parallel, ecn, cold);
    }

    public RunOptions withCc(String c) {
        return new RunOptions(transport, c, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, everyLink, scheduler, parallel, ecn, cold);
    }

    /** At most {@code n} runs per test (tunnel and baselines); fewer if the CoV target is met. */
    public RunOptions withRepeat(int n) {
        return new RunOptions(transport, cc, n, Math.min(minRuns, n), Math.min(baselineMaxRuns, n), covTarget,
                durationOverride, baselinesOnly, directions, everyLink, scheduler, parallel, ecn, cold);
    }

    public RunOptions withDuration(int seconds) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, seconds, baselinesOnly,
                directions, everyLink, scheduler, parallel, ecn, cold);
    }

    public RunOptions withBaselinesOnly(boolean b) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride, b,
                directions, everyLink, scheduler, parallel, ecn, cold);
    }

    public RunOptions withDirections(List<String> d) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, d, everyLink, scheduler, parallel, ecn, cold);
    }

    public RunOptions withEveryLink(boolean e) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, e, scheduler, parallel, ecn, cold);
    }

    /** {@code n} parallel TCP connections per flow (iperf3 {@code -P n}); goodput is their sum. */
    public RunOptions withParallel(int n) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, everyLink, scheduler, n, ecn, cold);
    }

    /** The portals' scheduler, written into both configs ({@code null}: not written, the portal's "auto"). */
    public RunOptions withScheduler(String s) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, everyLink, s, parallel, ecn, cold);
    }

    /** Whether the inner endpoints negotiate ECN (see {@link #ecn()}). */
    public RunOptions withEcn(boolean e) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, everyLink, scheduler, parallel, e, cold);
    }

    /** Whether the tunnel runs skip the warm-up flow (see {@link #cold()}). */
    public RunOptions withCold(boolean c) {
        return new RunOptions(transport, cc, maxRuns, minRuns, baselineMaxRuns, covTarget, durationOverride,
                baselinesOnly, directions, everyLink, scheduler, parallel, ecn, c);
    }

    /** The inner congestion control as reports name it: "cubic", or "bbr+ecn" when the endpoints use ECN. */
    public String ccLabel() {
        return ecn ? cc + "+ecn" : cc;
    }
}
