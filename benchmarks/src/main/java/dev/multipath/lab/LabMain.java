package dev.multipath.lab;

import dev.multipath.lab.report.DirectionRecord;
import dev.multipath.lab.report.BaselineRecord;
import dev.multipath.lab.report.ReportWriter;
import dev.multipath.lab.report.ScenarioRecord;
import dev.multipath.lab.scenario.Progress;
import dev.multipath.lab.scenario.RunOptions;
import dev.multipath.lab.scenario.Scenario;
import dev.multipath.lab.scenario.ScenarioRunner;
import dev.multipath.lab.scenario.Scenarios;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code ./lab} command: {@code list}, {@code run SCENARIO...}, {@code all}, {@code demo}. Needs root (network
 * namespaces). Everything it creates is removed on exit, Ctrl-C (shutdown hook) or failure.
 */
public final class LabMain {
    private static final String USAGE = """
            usage: ./lab list
                   ./lab run SCENARIO... [options]
                   ./lab all [options]
                   ./lab demo [--transport T] [--cc C]
                   ./lab multipeer [--out DIR] [--transport T] ...   (./lab multipeer --help)
                   ./lab tiers [options]       metric tiers: backup idle, then takes over when the primary is cut
                   ./lab redundant [options]   redundant mode: UDP loss through a lossy link, with and without
            options:
              --transport tcp|udp|rawip   the portals' transport (default udp); a comma-separated list
                                          (tcp,udp,rawip) runs each scenario once per transport and
                                          adds a transport comparison chart
              --scheduler NAME            the portals' scheduler: auto (default), earliest-arrival, greedy,
                                          weighted-round-robin, flow; a comma-separated list runs each
                                          scenario once per scheduler (links alone measured once) and
                                          adds a scheduler comparison chart
              --cc cubic|bbr              TCP congestion control of the iperf3 flow (default cubic)
              --ecn                       the iperf3 hosts negotiate ECN (tcp_ecn=1): the portals' CoDel
                                          marks their packets instead of dropping them (default: off)
              --cold                      measure the fresh portals' first flows: skip the unmeasured
                                          4 s warm-up flow each way that precedes the tunnel runs
              --repeat N                  at most N runs per test (default 5; stops earlier once CoV <= 5 %)
              --duration S                flow length in seconds instead of the scenario's
              --parallel N                N TCP connections per flow (iperf3 -P N), tunnel and
                                          baselines alike; goodput is their sum (default 1)
              --out DIR                   output directory (default lab-out/<date-time>)
              --baselines-only            measure only each link alone (no portals)
            environment: MP_AEAD=jce|openssl|auto sets both portals' AES-GCM implementation (aead key);
                         MP_TRACE_DIR=DIR makes both portals trace path state (docs/operations.md)
            """;

    private LabMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        try {
            System.exit(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println("lab: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (LabException e) {
            System.err.println("lab: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String cmd = args[0];
        if (cmd.equals("multipeer")) { // its own options: three local portals on one remote portal
            return dev.multipath.lab.multipeer.MultiPeerCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), "./lab " + String.join(" ", args));
        }
        List<String> names = new ArrayList<>();
        RunOptions opts = RunOptions.defaults();
        List<String> transports = null;
        List<String> schedulers = null;
        Path out = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--transport" -> {
                    transports = List.of(value(args, ++i, a).split(","));
                    opts = opts.withTransport(transports.get(0));
                }
                case "--scheduler" -> schedulers = List.of(value(args, ++i, a).split(","));
                case "--cc" -> opts = opts.withCc(value(args, ++i, a));
                case "--repeat" -> opts = opts.withRepeat(intValue(args, ++i, a));
                case "--duration" -> opts = opts.withDuration(intValue(args, ++i, a));
                case "--parallel" -> opts = opts.withParallel(intValue(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--baselines-only" -> opts = opts.withBaselinesOnly(true);
                case "--ecn" -> opts = opts.withEcn(true);
                case "--cold" -> opts = opts.withCold(true);
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    names.add(a);
                }
            }
        }
        if (transports == null) {
            transports = List.of(opts.transport()); // was "tcp" here while the documented default is udp
        }
        if (out == null) {
            out = Path.of("lab-out", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        String line = "./lab " + String.join(" ", args);
        return switch (cmd) {
            case "list" -> list();
            case "run" -> {
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("run needs at least one scenario (see ./lab list)");
                }
                List<Scenario> chosen = new ArrayList<>();
                for (String n : names) {
                    chosen.add(Scenarios.byName(n).orElseThrow(
                            () -> new IllegalArgumentException("no scenario " + n + " (see ./lab list)")));
                }
                yield runAll(chosen, opts, transports, schedulers, out, line);
            }
            case "all" -> runAll(Scenarios.all(), opts, transports, schedulers, out, line);
            case "demo" -> Demo.run(opts, out, line);
            case "tiers", "redundant" -> {
                requireRoot();
                RunOptions o = opts.withScheduler(schedulers == null ? null : schedulers.get(0))
                        .withTransport(transports.get(0));
                yield cmd.equals("tiers") ? dev.multipath.lab.tier.TierLab.main(o, out, line)
                        : dev.multipath.lab.redundant.RedundantLab.main(o, out, line);
            }
            default -> throw new IllegalArgumentException("unknown command " + cmd);
        };
    }

    private static int list() {
        List<Scenario> all = new ArrayList<>(Scenarios.all());
        all.add(Scenarios.smoke());
        for (Scenario s : all) {
            System.out.printf(Locale.ROOT, "%-14s %-30s %s%n", s.name(), s.linksLabel(), s.description());
        }
        return 0;
    }

    /**
     * Runs {@code scenarios} in order, once per transport and scheduler ({@code schedulers} null: none named),
     * writing the outputs after each; returns 0 if every tunnel test ran.
     */
    static int runAll(List<Scenario> scenarios, RunOptions opts, List<String> transports, List<String> schedulers,
            Path out, String line) {
        requireRoot();
        for (String t : transports) {
            opts.withTransport(t); // validates the name before anything starts
        }
        List<String> scheds = schedulers == null ? java.util.Collections.singletonList(null) : schedulers;
        scheds.forEach(opts::withScheduler); // validates the names too
        Map<String, List<String>> groups = Scenarios.comparisonGroups();
        ReportWriter writer = new ReportWriter(out, line, groups, transports.size() > 1, scheds.size() > 1);
        Progress progress = new Progress(System.out, scenarios.size() * transports.size(), 100);
        int failures = 0;
        for (Scenario s : scenarios) {
            for (String transport : transports) {
                if (Cleanup.shuttingDown()) {
                    return 130;
                }
                failures += runOne(s, opts.withTransport(transport).withScheduler(scheds.get(0)), scheds, progress,
                        writer);
            }
        }
        System.out.println("results: " + out.resolve("results.json") + ", " + out.resolve("summary.md")
                + ", PNG graphs in " + out);
        return failures == 0 ? 0 : 1;
    }

    /**
     * Runs one scenario (once per scheduler), adds it to the report and prints its figures; returns the number of
     * failed tests.
     */
    private static int runOne(Scenario s, RunOptions opts, List<String> schedulers, Progress progress,
            ReportWriter writer) {
        List<ScenarioRecord> records;
        try {
            records = new ScenarioRunner(opts, progress).runSchedulers(s, schedulers);
        } catch (LabException e) {
            System.out.println("        SCENARIO FAILED: " + e.getMessage());
            return 1;
        }
        int failures = 0;
        for (ScenarioRecord r : records) {
            writer.add(r);
            for (DirectionRecord d : r.directions()) {
                if (d.tunnel().medianMbit() == null && !opts.baselinesOnly()) {
                    failures++;
                }
                System.out.printf(Locale.ROOT, "        => %-8s %stunnel %s Mbit/s, ratio to link sum %s, links alone"
                        + " %s%n", d.direction(), r.scheduler() == null ? "" : r.scheduler() + " ",
                        fmt(d.tunnel().medianMbit()), fmt3(d.ratio()), baselines(d));
            }
        }
        return failures;
    }

    private static String baselines(DirectionRecord d) {
        StringBuilder b = new StringBuilder();
        for (BaselineRecord x : d.baselines()) {
            b.append(b.length() > 0 ? ", " : "").append("link ").append(x.link()).append(' ')
                    .append(fmt(x.measurement().medianMbit()));
        }
        return b.toString();
    }

    static String fmt(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.2f", d);
    }

    static String fmt3(Double d) {
        return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
    }

    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabException("the lab needs root (network namespaces): run it with sudo");
        }
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String opt) {
        try {
            return Integer.parseInt(value(args, i, opt));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " needs a number, not " + args[i]);
        }
    }
}
