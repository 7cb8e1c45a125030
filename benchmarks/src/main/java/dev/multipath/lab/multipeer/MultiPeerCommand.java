package dev.multipath.lab.multipeer;

import dev.multipath.lab.LabException;
import dev.multipath.lab.multipeer.MultiPeerResults.ConcurrentRun;
import dev.multipath.lab.multipeer.MultiPeerResults.PeerFlow;
import dev.multipath.lab.multipeer.MultiPeerResults.SiteInfo;
import dev.multipath.lab.report.Machine;
import dev.multipath.lab.topo.LinkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./lab multipeer}: three local portals (each with its own client and two 10 Mbit links) on one remote portal
 * with a server behind it, plus a fourth, spoofing local portal. Measures every site's flow at once (outbound and
 * inbound, repeated), each site alone, the spoofer, a flood from one site, and removing one site by config reload
 * mid-flow; writes {@code multipeer.json}, {@code summary.md} and PNGs to the output directory.
 */
public final class MultiPeerCommand {
    static final String USAGE = """
            usage: ./lab multipeer [--out DIR] [--transport udp|tcp|rawip] [--cc cubic|bbr] [--duration S]
                                   [--repeat N] [--links N] [--rate MBIT] [--no-solo] [--no-flood]
              three local portals on one remote portal, all at once; a spoofing site; a flood; a removal
              --duration S   each flow (default 10)        --repeat N  runs of the all-at-once flows (default 3)
              --links N      links per site (default 2)     --rate MBIT each link's rate (default 10)
            """;

    private MultiPeerCommand() {
    }

    /** Runs the command with the arguments after {@code multipeer}; returns the exit code. */
    public static int run(String[] args, String line) {
        String transport = "udp";
        String cc = "cubic";
        int seconds = 10;
        int repeat = 3;
        int links = 2;
        double rate = 10;
        boolean solo = true;
        boolean flood = true;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--transport" -> transport = value(args, ++i, a);
                case "--cc" -> cc = value(args, ++i, a);
                case "--duration" -> seconds = intValue(args, ++i, a);
                case "--repeat" -> repeat = intValue(args, ++i, a);
                case "--links" -> links = intValue(args, ++i, a);
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--no-solo" -> solo = false;
                case "--no-flood" -> flood = false;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    return 0;
                }
                default -> throw new IllegalArgumentException("unknown multipeer option " + a);
            }
        }
        if (!Set.of("udp", "tcp", "rawip").contains(transport)) {
            throw new IllegalArgumentException("--transport: udp, tcp or rawip, not " + transport);
        }
        if (!Set.of("cubic", "bbr").contains(cc)) {
            throw new IllegalArgumentException("--cc: cubic or bbr, not " + cc);
        }
        if (seconds < 4 || repeat < 1 || links < 1 || links > 9 || rate <= 0) {
            throw new IllegalArgumentException("--duration >= 4, --repeat >= 1, --links 1..9, --rate > 0");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new LabException("the lab needs root (network namespaces): run it with sudo");
        }
        if (out == null) {
            out = Path.of("lab-out", "multipeer-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        List<LinkSpec> siteLinks = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            siteLinks.add(LinkSpec.rate(rate));
        }
        long t0 = System.nanoTime();
        say("building 3 sites x %d x %s links + a spoofing site, starting 5 portals (%s)", links,
                siteLinks.get(0).label(), transport);
        try (MultiPeerLab lab = MultiPeerLab.start(3, siteLinks, transport, 90)) {
            List<SiteInfo> sites = new ArrayList<>();
            for (int k : lab.honestSites()) {
                sites.add(new SiteInfo(lab.name(k), siteLinks.stream().map(LinkSpec::label).toList(),
                        lab.linkSum(k)));
            }
            Map<String, Double> load = new LinkedHashMap<>();
            lab.concurrent(lab.honestSites(), false, 3, cc); // warm-up: five fresh JVMs compile their hot paths
            List<ConcurrentRun> runs = new ArrayList<>();
            for (int run = 1; run <= repeat; run++) {
                for (boolean inbound : new boolean[] {false, true}) {
                    load.put("at once run " + run + (inbound ? " inbound" : " outbound"), loadAverage());
                    List<PeerFlow> flows = lab.concurrent(lab.honestSites(), inbound, seconds, cc);
                    double total = flows.stream().mapToDouble(PeerFlow::goodputMbit).sum();
                    double sum = flows.stream().mapToDouble(PeerFlow::linkSumMbit).sum();
                    runs.add(new ConcurrentRun(inbound ? "inbound" : "outbound", run, flows, total, total / sum));
                    say("at once, run %d %-8s %s", run, inbound ? "inbound" : "outbound", describe(flows));
                }
            }
            List<PeerFlow> alone = new ArrayList<>();
            if (solo) {
                for (int k : lab.honestSites()) {
                    for (boolean inbound : new boolean[] {false, true}) {
                        load.put("alone " + lab.name(k) + (inbound ? " inbound" : " outbound"), loadAverage());
                        PeerFlow f = lab.solo(k, inbound, seconds, cc);
                        alone.add(f);
                        say("alone %s", describe(List.of(f)));
                    }
                }
            }
            load.put("spoof", loadAverage());
            MultiPeerResults.SpoofResult spoof = lab.spoof(5);
            say("spoof: session %s, %d pings sent, %d packets into its tunnel; server received %d packets / %d "
                    + "bytes; SOURCE_NOT_ALLOWED +%d", spoof.sessionEstablished(), spoof.pingsSent(),
                    spoof.spooferTunPackets(), spoof.serverPackets(), spoof.serverBytes(),
                    spoof.sourceNotAllowedDelta());
            MultiPeerResults.IsolationResult iso = null;
            if (flood) {
                load.put("flood", loadAverage());
                iso = lab.isolation(3, List.of(1, 2), repeat, seconds, cc);
                say("flood from %s: median without %s, with %s (Mbit/s); drops %s", iso.floodSite(),
                        iso.medianWithoutMbit(), iso.medianWithMbit(), iso.floodDropped());
            }
            int removalSeconds = Math.max(12, seconds + 2);
            load.put("removal", loadAverage());
            MultiPeerResults.RemovalResult rm = lab.removal(3, removalSeconds, 5.0, cc);
            say("removal of %s at %.1f s (listed no more after %d ms): %d bytes from it after; survivors min "
                    + "interval after %s, mean after %s", rm.removed(), rm.removeAtSec(), rm.reloadMillis(),
                    rm.removedBytesAfter(), rm.survivorMinAfterMbit(), rm.survivorMeanAfterMbit());
            MultiPeerResults r = new MultiPeerResults(1, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                    Machine.describe(), line, transport, cc, seconds, sites, runs,
                    MultiPeerReport.summarize(runs, alone), alone, spoof, iso, rm, load);
            MultiPeerReport.write(r, out);
            System.out.print(MultiPeerReport.markdown(r));
        }
        say("done in %.0f s; results in %s (multipeer.json, summary.md, PNGs)", (System.nanoTime() - t0) / 1e9,
                out);
        return 0;
    }

    /** The 1-minute load average, or null if unknown. */
    private static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(List<PeerFlow> flows) {
        StringBuilder b = new StringBuilder();
        for (PeerFlow f : flows) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %s %.2f Mbit/s (%.3f)%s",
                    f.site(), f.direction(), f.goodputMbit(), f.ratio(), f.error() == null ? "" : " ERROR "
                            + f.error()));
        }
        return b.toString();
    }

    private static void say(String fmt, Object... args) {
        System.out.printf(Locale.ROOT, "[multipeer] " + fmt + "%n", args);
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
