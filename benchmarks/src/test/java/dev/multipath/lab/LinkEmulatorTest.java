package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.measure.PingProbe;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.Topology;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The link emulator on its own, over a direct link (no portals): idle RTT = 2 x delay within 1 ms, rate within 2 %,
 * loss within 1 point at 5 %.
 */
@Tag("netns")
class LinkEmulatorTest {
    /** TCP goodput of a shaped Ethernet link: 1448 B of payload per 1514 B frame. */
    private static final double TCP_EFFICIENCY = 1448.0 / 1514.0;

    @BeforeAll
    static void requireNetns() {
        NetnsSupport.require();
    }

    @Test
    void idleRttIsTwiceTheOneWayDelay() {
        try (Topology t = Topology.create(List.of(LinkSpec.rate(100).withDelay(10)))) {
            t.routeDirect(1);
            Shell.runIn(t.clientNs(), "ping", "-c", "2", "-W", "2", t.addressing().serverIp()); // ARP warm-up
            String out = Shell.runIn(t.clientNs(), "ping", "-n", "-c", "20", "-i", "0.05",
                    t.addressing().serverIp());
            PingProbe.Result r = PingProbe.parse(out);
            // The median of the 20 replies: the emulator's delay, not an unlucky moment of a busy 2-core machine.
            double[] rtts = java.util.regex.Pattern.compile("time=([\\d.]+) ms").matcher(out).results()
                    .mapToDouble(m -> Double.parseDouble(m.group(1))).sorted().toArray();
            double median = rtts.length == 0 ? Double.NaN : (rtts[(rtts.length - 1) / 2] + rtts[rtts.length / 2]) / 2;
            System.out.printf("emulator RTT: median %.3f ms avg %.3f ms max %.3f ms (expected 20 ms)%n", median,
                    r.avgMs(), r.maxMs());
            assertThat(r.lossPct()).isZero();
            assertThat(rtts).hasSize(20);
            assertThat(median).isBetween(20.0, 21.0);
        }
    }

    @Test
    void rateHoldsThroughBridgeAndRelay() {
        try (Topology t = Topology.create(List.of(LinkSpec.rate(20), LinkSpec.rate(20).withDelay(5)))) {
            for (int link = 1; link <= 2; link++) {
                t.routeDirect(link);
                double expected = 20 * TCP_EFFICIENCY;
                // One 5 s flow on a shared 2-core machine can fall a few percent short when the sender or the
                // emulator is not scheduled (seen once in CI: 0.959). Up to three attempts; one must land within 2 %.
                // An emulator with the wrong rate (too slow or too fast) fails all three.
                List<Double> ratios = new java.util.ArrayList<>();
                for (int attempt = 0; attempt < 3; attempt++) {
                    FlowResult f = new IperfRunner(t).run(false, 5, "cubic");
                    System.out.printf("emulator rate, link %d (%s) attempt %d: %.2f Mbit/s goodput, expected %.2f%n",
                            link, t.links().get(link - 1).label(), attempt + 1, f.goodputMbit(), expected);
                    assertThat(f.completed()).as("iperf3 error: %s", f.error()).isTrue();
                    double ratio = f.goodputMbit() / expected;
                    ratios.add(ratio);
                    if (ratio >= 0.98 && ratio <= 1.02) {
                        break;
                    }
                }
                assertThat(ratios).as("link %d goodput / expected", link)
                        .anySatisfy(r -> assertThat(r).isBetween(0.98, 1.02));
            }
        }
    }

    @Test
    void eventsChangeTheLinkAndRestoreUndoesThem() {
        try (Topology t = Topology.create(List.of(LinkSpec.rate(20)))) {
            t.routeDirect(1);
            IperfRunner iperf = new IperfRunner(t);
            assertThat(pings(t)).as("before any event").isTrue();

            t.apply(LinkEvent.rate(0, 1, 5));
            double halved = iperf.run(false, 3, "cubic").goodputMbit();
            t.apply(LinkEvent.blackhole(0, 1));
            boolean duringBlackhole = pings(t);
            boolean blackholeKeepsInterfaceUp = Shell.runIn(t.lpNs(), "ip", "link", "show", t.lpLinkIf(1))
                    .contains("state UP");
            t.apply(LinkEvent.restore(0, 1));
            boolean afterBlackhole = pings(t);
            double restored = iperf.run(false, 3, "cubic").goodputMbit();
            t.apply(LinkEvent.down(0, 1));
            boolean duringDown = pings(t);
            t.apply(LinkEvent.restore(0, 1));
            boolean afterDown = pings(t);
            System.out.printf("emulator events: 5M -> %.2f Mbit/s, restored 20M -> %.2f Mbit/s%n", halved, restored);

            assertThat(halved / (5 * TCP_EFFICIENCY)).as("rate changed to 5 Mbit").isBetween(0.9, 1.05);
            assertThat(duringBlackhole).as("ping through a black hole").isFalse();
            assertThat(blackholeKeepsInterfaceUp).isTrue();
            assertThat(afterBlackhole).as("ping after restore").isTrue();
            assertThat(restored / (20 * TCP_EFFICIENCY)).as("rate restored to 20 Mbit").isBetween(0.9, 1.05);
            assertThat(duringDown).as("ping over a downed link").isFalse();
            assertThat(afterDown).as("ping after up + routes re-added").isTrue();
        }
    }

    private static boolean pings(Topology t) {
        return Shell.tryRun("ip", "netns", "exec", t.clientNs(), "ping", "-c", "2", "-i", "0.2", "-W", "1",
                t.addressing().serverIp()).ok();
    }

    @Test
    void lossIsAccurateAtFivePercent() throws Exception {
        try (Topology t = Topology.create(List.of(LinkSpec.rate(50).withLoss(5)))) {
            t.routeDirect(1);
            // A measurement on a shared 2-core machine can lose extra datagrams in the receiver's socket buffer when
            // the receiver is not scheduled: one of up to three attempts must land within 1 point of 5 %. An emulator
            // that drops the wrong share fails all three.
            java.util.List<Double> measured = new java.util.ArrayList<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                double lossPct;
                try {
                    lossPct = measureUdpLoss(t);
                } catch (LabException e) {
                    // iperf3's own TCP control connection runs over the lossy link too and can stall at the end of
                    // the test (seen once, 30 s timeout): a failed attempt, not a wrong emulator
                    System.out.println("emulator loss attempt failed: " + e.getMessage());
                    lossPct = Double.NaN;
                }
                measured.add(lossPct);
                if (lossPct >= 4.0 && lossPct <= 6.0) {
                    break;
                }
            }
            System.out.printf("emulator loss attempts: %s %% (expected 5 %%)%n", measured);
            assertThat(measured).anySatisfy(l -> assertThat(l).isBetween(4.0, 6.0));
        }
    }

    private static double measureUdpLoss(Topology t) throws Exception {
        ProcessGroup.Started server = t.start("udp-server", t.serverNs(), List.of("iperf3", "-s", "-1"));
        String json;
        try {
            Thread.sleep(300);
            json = Shell.runIn(t.clientNs(), "iperf3", "-c", t.addressing().serverIp(), "-u", "-b", "10M",
                    "-l", "1000", "-t", "4", "-J");
        } finally {
            ProcessGroup.stop(server, 500);
        }
        JsonNode end = new ObjectMapper().readTree(json).path("end").path("sum");
        return end.path("lost_percent").asDouble(-1);
    }
}
