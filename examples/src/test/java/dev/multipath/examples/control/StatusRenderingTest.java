package dev.multipath.examples.control;

import static dev.multipath.examples.control.StatusFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class StatusRenderingTest {

    private final ObjectNode report = StatusReport.build(StatusFixtures.status(), StatusFixtures.info(), NOW);

    @Test
    void jsonHasEveryEngineFieldPlusConfigFactsAndTimesInSeconds() throws Exception {
        JsonNode json = StatusReport.MAPPER.readTree(StatusReport.toJson(report));

        assertThat(json.get("role").asText()).isEqualTo("local");
        assertThat(json.get("sourceName").asText()).isEqualTo("mp0");
        assertThat(json.get("uptimeSeconds").asDouble()).isEqualTo(125.0);
        assertThat(json.get("mode").asText()).isEqualTo("authenticate");
        assertThat(json.get("peer").isNull()).isTrue();
        assertThat(json.get("sessionEstablished").asBoolean()).isTrue();
        assertThat(json.get("packetsFromSource").asLong()).isEqualTo(90);
        assertThat(json.get("drops").get("queue_full").asLong()).isEqualTo(3);

        JsonNode dsl = json.get("paths").get(0);
        assertThat(dsl.get("name").asText()).isEqualTo("dsl");
        assertThat(dsl.get("local").asText()).isEqualTo("10.0.1.1");
        assertThat(dsl.get("transport").asText()).isEqualTo("tcp");
        assertThat(dsl.get("remote").asText()).isEqualTo("10.0.1.2:4789");
        assertThat(dsl.get("bytesSent").asLong()).isEqualTo(52_000);
        assertThat(dsl.get("packetsReceived").asLong()).isEqualTo(40);
        assertThat(dsl.get("rttSeconds").asDouble()).isEqualTo(0.0123);
        assertThat(dsl.get("lastReceiveAgeSeconds").asDouble()).isEqualTo(0.3);
        assertThat(dsl.has("lastReceiveNanos")).as("nanoTime values never leave the process").isFalse();
        assertThat(dsl.has("rttNanos")).isFalse();

        JsonNode lte = json.get("paths").get(1);
        assertThat(lte.get("rttSeconds").isNull()).as("0 = not measured yet").isTrue();
        assertThat(lte.get("lastReceiveAgeSeconds").isNull()).as("0 = never").isTrue();
    }

    @Test
    void aPathThatFellSilentShowsItsFailoverCounts() {
        var cc = new dev.multipath.api.PortalStatus.Congestion("bbr", 14_600, 2_900, 1_200_000, 1_000_000, 900, 12,
                1, 1, 2, 25, 40, 7);
        var path = new dev.multipath.api.PortalStatus.Path(0, "dsl", "up", 0, "10.0.1.2:4789", 50, 52_000, 40,
                41_000, 0, NOW - 300_000_000L, 12_300_000L, 1_250_000L, cc);
        dev.multipath.api.PortalStatus status = new dev.multipath.api.PortalStatus(dev.multipath.api.Role.LOCAL,
                "mp0", 90, 40, true, java.util.List.of(path), java.util.Map.of());
        ObjectNode r = StatusReport.build(status, StatusFixtures.info(), NOW);
        assertThat(r.get("paths").get(0).get("congestion").get("rescued").asLong()).isEqualTo(25);
        assertThat(StatusText.render(r)).contains("\n  failover: silent 2 times, 25 packets sent again, dead 1 time\n");
        assertThat(r.get("paths").get(0).get("congestion").get("ecnMarked").asLong()).isEqualTo(7);
        assertThat(StatusText.render(r)).contains(", 7 packets ECN-marked");
    }

    @Test
    void theSourcesCountersAppearInJsonAndText() {
        dev.multipath.api.PortalStatus status = new dev.multipath.api.PortalStatus(dev.multipath.api.Role.LOCAL,
                "mp0", 90, 40, true, java.util.List.of(StatusFixtures.DSL), java.util.Map.of(),
                dev.multipath.api.PortalStatus.Reorder.NONE, java.util.List.of(),
                java.util.Map.of("superPacketsRead", 7L));
        ObjectNode r = StatusReport.build(status, StatusFixtures.info(), NOW);
        assertThat(r.get("sourceCounters").get("superPacketsRead").asLong()).isEqualTo(7);
        String text = StatusText.render(r);
        assertThat(text).containsPattern("source counters: .*7");
        assertThat(report.get("sourceCounters").isEmpty()).as("none from a source without counters").isTrue();
    }

    @Test
    void aFieldTheEngineAddsAppearsInJsonWithoutChanges() {
        record Reorder(long held, long late) {
        }
        record Extended(String name, long cwndBytes, Reorder reorder, long handshakeAgeNanos) {
        }
        JsonNode node = StatusReport.toNode(new Extended("x", 14_600, new Reorder(7, 2), 2_500_000_000L), NOW);

        assertThat(node.get("cwndBytes").asLong()).isEqualTo(14_600);
        assertThat(node.get("reorder").get("late").asLong()).isEqualTo(2);
        assertThat(node.get("handshakeAgeSeconds").asDouble()).isEqualTo(2.5);
    }

    @Test
    void textReadsLikeWgShow() {
        String text = StatusText.render(report);

        assertThat(text).startsWith("interface: mp0\n  role: local\n  uptime: 2 min 5 s\n  session: established\n"
                + "  peer: -\n  latest handshake: -\n  mode: authenticate\n  tunnel packets: 90 read, 40 written\n");
        assertThat(text).contains("\npath: dsl (id 0)\n  state: up (went down 1 time)\n"
                + "  endpoint: 10.0.1.1 -> 10.0.1.2:4789\n  transport: tcp\n  metric: 0\n  rtt: 12.3 ms\n"
                + "  rate: 10.00 Mbit/s\n  loss: -\n  congestion: by the transport (TCP)\n"
                + "  failover: -\n  transfer: 40.04 KiB received (40 packets), 50.78 KiB sent (50 packets)\n"
                + "  latest frame: 0.3 s ago\n");
        assertThat(text).contains("\npath: lte (id 1)\n  state: waiting\n  endpoint: 10.0.2.1 -> -\n"
                + "  transport: udp\n  metric: 10\n  rtt: -\n  rate: -\n");
        assertThat(text).endsWith("\ndrops:\n  queue full: 3\n");
        assertThat(text).doesNotContain("null");
    }

    @Test
    void textListsUnknownFieldsGenerically() {
        ((ObjectNode) report.get("paths").get(0)).put("cwndBytes", 14_600);
        report.putObject("reorder").put("held", 7).put("timeouts", 1234);

        String text = StatusText.render(report);

        assertThat(text).contains("  latest frame: 0.3 s ago\n").contains("  cwnd bytes: 14,600\n");
        assertThat(text).contains("  reorder: held 7, timeouts 1,234\n");
    }

    @Test
    void aRemotePortalServingSeveralSitesShowsABlockPerPeer() {
        var peer = new dev.multipath.api.PortalStatus.Peer("site1", "NMA4BPFzzq4wWcjIYbB1pKdL82p5QBJDiBUFmcahmRY=",
                java.util.List.of("10.1.0.0/24"), true, 7, 9, java.util.List.of("site1/dsl"),
                java.util.Map.of(dev.multipath.api.DropReason.SOURCE_NOT_ALLOWED, 4L),
                dev.multipath.api.PortalStatus.Reorder.NONE);
        var status = new dev.multipath.api.PortalStatus(dev.multipath.api.Role.REMOTE, "mp1", 7, 9, true,
                java.util.List.of(), java.util.Map.of(), dev.multipath.api.PortalStatus.Reorder.NONE,
                java.util.List.of(peer));
        String text = StatusText.render(StatusReport.build(status, new PortalInfo(java.util.Optional.empty(),
                java.util.Optional.empty(), NOW, java.util.Map.of()), NOW));

        assertThat(text).contains("\npeer: site1\n  public key: NMA4BPFzzq4wWcjIYbB1pKdL82p5QBJDiBUFmcahmRY=\n")
                .contains("  allowed ips: 10.1.0.0/24\n").contains("  session: established\n")
                .contains("  tunnel packets: 7 read, 9 written\n").contains("  paths: site1/dsl\n")
                .contains("  drops: ");
        String metrics = dev.multipath.examples.metrics.PrometheusText.render(StatusReport.build(status,
                new PortalInfo(java.util.Optional.empty(), java.util.Optional.empty(), NOW, java.util.Map.of()), NOW));
        assertThat(metrics).contains("multipath_peer_session_established{peer=\"site1\"} 1\n")
                .contains("multipath_peer_packets_total{peer=\"site1\",direction=\"written\"} 9\n");
    }

    @Test
    void noPathsAndNoDrops() {
        ObjectNode empty = StatusReport.build(new dev.multipath.api.PortalStatus(dev.multipath.api.Role.REMOTE, "mp1",
                0, 0, false, java.util.List.of(), java.util.Map.of()), new PortalInfo(java.util.Optional.empty(),
                java.util.Optional.empty(), NOW, java.util.Map.of()), NOW);

        String text = StatusText.render(empty);

        assertThat(text).contains("  session: not established\n", "  mode: -\n", "(no paths yet)", "drops: none");
    }

    @Test
    void unitsScale() {
        assertThat(StatusText.bytes(StatusReport.MAPPER.valueToTree(3L * 1024 * 1024 * 1024))).isEqualTo("3.00 GiB");
        assertThat(StatusText.bitRate(StatusReport.MAPPER.valueToTree(125_000_000L))).isEqualTo("1.00 Gbit/s");
        assertThat(StatusText.duration(StatusReport.MAPPER.valueToTree(90_061.0))).isEqualTo("1 d 1 h");
        assertThat(StatusText.words("reorderTimeoutsTotal")).isEqualTo("reorder timeouts total");
    }
}
