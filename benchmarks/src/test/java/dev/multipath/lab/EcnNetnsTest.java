package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.Topology;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ECN end to end (decision 45): real portals (UDP transport) on one 10 Mbit link, an iperf3 cubic flow whose hosts
 * negotiate ECN. The flow fills the link, so a queue stands in the sending portal and CoDel acts on it: it must mark
 * the flow's packets Congestion Experienced rather than drop them, and the marks must reach the receiver (whose TCP
 * echoes them: the sender's window follows, so the flow keeps the link full).
 */
@Tag("netns")
class EcnNetnsTest {

    @Test
    void codelMarksAnEcnFlowInsteadOfDroppingIt() throws Exception {
        NetnsSupport.require();
        try (Topology topo = Topology.create(List.of(LinkSpec.rate(10)));
                Portals portals = Portals.start(topo, "udp", 40)) {
            topo.enableEcn();
            portals.routeThroughTunnel();
            FlowResult f = new IperfRunner(topo).run(false, 6, "cubic");
            JsonNode local = new ObjectMapper().readTree(portals.statusJson(false));
            long marked = 0;
            for (JsonNode path : local.path("paths")) {
                marked += path.path("congestion").path("ecnMarked").asLong();
            }
            long queueDelayDrops = 0;
            for (Map.Entry<String, JsonNode> e : local.path("drops").properties()) {
                if (e.getKey().replace("_", "").equalsIgnoreCase("queuedelay")) {
                    queueDelayDrops += e.getValue().asLong();
                }
            }
            System.out.printf("ecn: %.2f Mbit/s, %d retransmits, %d packets marked, %d dropped by CoDel%n",
                    f.goodputMbit(), f.retransmits(), marked, queueDelayDrops);
            assertThat(f.completed()).as("iperf3: %s", f.error()).isTrue();
            assertThat(f.goodputMbit()).as("the link stays full").isGreaterThan(8.0);
            assertThat(marked).as("CoDel's signal as CE marks").isPositive();
            // Retransmitted segments are sent Not-ECT (RFC 3168, 6.1.5), so a few drops may remain; data is marked.
            assertThat(queueDelayDrops).as("CoDel drops").isLessThanOrEqualTo(Math.max(2, marked / 10));
        }
    }
}
