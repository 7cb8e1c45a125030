package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.Topology;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The foundation's end-to-end tests: two real portals (examples' {@code portal run}) in network namespaces, two
 * 10 Mbit links shaped in middle namespaces. Ping both ways; one TCP flow each way beats one link alone by 1.5 x (the
 * seed's criterion 5); a link taken down mid-flow does not end the flow (criterion 1). The portals are shared, so
 * the link-down test runs last: the others must not depend on how fast a restored link is re-admitted.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    private static final int FLOW_SECONDS = 6;
    private static Topology topo;
    private static Portals portals;

    @BeforeAll
    static void setUp() {
        NetnsSupport.require();
        topo = Topology.create(List.of(LinkSpec.rate(10), LinkSpec.rate(10)));
        portals = Portals.start(topo, "tcp", 40);
    }

    @AfterAll
    static void tearDown() {
        if (portals != null) {
            portals.close();
        }
        if (topo != null) {
            topo.close();
        }
    }

    @Test
    @Order(1)
    void pingAnswersBothWaysThroughTheTunnel() {
        portals.routeThroughTunnel();
        String there = Shell.runIn(topo.clientNs(), "ping", "-c", "3", "-i", "0.2", "-W", "2",
                topo.addressing().serverIp());
        String back = Shell.runIn(topo.serverNs(), "ping", "-c", "3", "-i", "0.2", "-W", "2",
                topo.addressing().clientIp());
        assertThat(there).contains("3 received");
        assertThat(back).contains("3 received");
    }

    @Test
    @Order(2)
    void oneFlowThroughTwoLinksBeatsOneLinkAloneInEachDirection() {
        IperfRunner iperf = new IperfRunner(topo);
        for (boolean reverse : new boolean[] {false, true}) {
            String dir = reverse ? "inbound" : "outbound";
            topo.routeDirect(1);
            FlowResult alone = iperf.run(reverse, FLOW_SECONDS, "cubic");
            portals.routeThroughTunnel();
            FlowResult tunnel = iperf.run(reverse, FLOW_SECONDS, "cubic");
            System.out.printf("e2e %s: link 1 alone %.2f Mbit/s, tunnel over 2 links %.2f Mbit/s (%.2f x)%n", dir,
                    alone.goodputMbit(), tunnel.goodputMbit(), tunnel.goodputMbit() / alone.goodputMbit());
            assertThat(alone.completed()).as("baseline %s: %s", dir, alone.error()).isTrue();
            assertThat(tunnel.completed()).as("tunnel %s: %s", dir, tunnel.error()).isTrue();
            assertThat(tunnel.goodputMbit()).as(dir).isGreaterThan(1.5 * alone.goodputMbit());
        }
    }

    @Test
    @Order(3)
    void takingOneLinkDownMidFlowDoesNotEndTheFlow() throws Exception {
        portals.routeThroughTunnel();
        int seconds = 10;
        double cutAt = 3;
        Thread cutter = new Thread(() -> {
            try {
                Thread.sleep((long) (cutAt * 1000));
                topo.apply(LinkEvent.down(cutAt, 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cutter.start();
        FlowResult f;
        try {
            f = new IperfRunner(topo).run(false, seconds, "cubic");
        } finally {
            cutter.join();
            topo.apply(LinkEvent.restore(0, 1));
        }
        double[] after = Arrays.copyOfRange(f.intervalsMbit(), (int) ((cutAt + 2) / f.intervalSec()),
                f.intervalsMbit().length);
        System.out.printf("e2e link down at %.0f s: flow %s, %.2f Mbit/s overall, intervals %s%n", cutAt,
                f.completed() ? "completed" : "FAILED: " + f.error(), f.goodputMbit(),
                Arrays.toString(f.intervalsMbit()));
        assertThat(f.completed()).as("iperf3: %s", f.error()).isTrue();
        assertThat(after).as("intervals from 2 s after the cut").isNotEmpty();
        assertThat(Arrays.stream(after).average().orElse(0)).as("mean goodput after the cut").isGreaterThan(3.0);
        assertThat(Arrays.stream(after).min().orElse(0)).as("no interval without traffic after the cut")
                .isGreaterThan(0.0);
    }
}
