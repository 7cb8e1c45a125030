package dev.multipath.examples.routing;

import static dev.multipath.examples.routing.PortalNetns.counter;
import static dev.multipath.examples.routing.PortalNetns.output;
import static dev.multipath.examples.routing.PortalNetns.path;
import static dev.multipath.examples.routing.PortalNetns.run;
import static dev.multipath.examples.routing.PortalNetns.sh;
import static dev.multipath.examples.routing.PortalNetns.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multipath.examples.config.SampleConfigs;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw IP paths through real portals and their TUN devices, one over IPv4 and one over IPv6:
 * <pre>
 * client --- local portal ==path a: rawip over IPv4== remote portal --- server
 *                         ==path b: rawip over IPv6==  (listen "[::]")
 * </pre>
 * Both portals run with {@code routing = "auto"}. The client's ping, ping -6 and one short iperf3 TCP flow per
 * family cross the tunnel; nft counters on the remote's links show the frames travelled as IP protocol 253 over IPv4
 * and over IPv6 (and nothing to TCP/UDP port 4789), and match the per-path counters of {@code portal status --json}.
 * Needs root, nft and iperf3.
 */
@Tag("netns")
class RawIpPortalNetnsTest {

    private final String id = "mpvr" + ProcessHandle.current().pid() % 10000;
    private final String client = id + "-c";
    private final String local = id + "-l";
    private final String remote = id + "-r";
    private final String server = id + "-s";
    private final String counters = id + "count";

    @TempDir
    Path dir;
    private PortalNetns lab;

    @BeforeEach
    void setUp() throws Exception {
        PortalNetns.requireRootNftAndIperf3("RawIpPortalNetnsTest");
        lab = new PortalNetns(dir);
        for (String ns : new String[] {client, local, remote, server}) {
            lab.namespace(ns);
        }
        lab.veth(client, id + "c0", "10.220.10.2/24 fd10:220:10::2/64", local, id + "c1",
                "10.220.10.1/24 fd10:220:10::1/64");
        lab.veth(local, id + "a0", "10.220.11.1/24", remote, id + "a1", "10.220.11.2/24");
        lab.veth(local, id + "b0", "fd10:220:12::1/64", remote, id + "b1", "fd10:220:12::2/64");
        lab.veth(remote, id + "s1", "10.220.13.1/24 fd10:220:13::1/64", server, id + "s0",
                "10.220.13.2/24 fd10:220:13::2/64");
        sh("ip -n " + client + " route add default via 10.220.10.1");
        sh("ip -n " + client + " -6 route add default via fd10:220:10::1");
        // The remote's internet side (NAT's public interface is found from it); the server has no route back to the
        // client: its replies reach the client only through the remote portal's NAT and the tunnel.
        sh("ip -n " + remote + " route add default via 10.220.13.2");
        sh("ip -n " + remote + " -6 route add default via fd10:220:13::2");

        // What arrives on and leaves by each of the remote's links: protocol 253 per family, and TCP/UDP port 4789.
        nft(remote, "add table inet " + counters);
        nft(remote, "add chain inet " + counters + " in { type filter hook input priority 0 ; }");
        nft(remote, "add chain inet " + counters + " out { type filter hook output priority 0 ; }");
        nft(remote, "add rule inet " + counters + " in iifname " + id + "a1 meta nfproto ipv4 meta l4proto 253"
                + " counter comment \"v4in\"");
        nft(remote, "add rule inet " + counters + " in iifname " + id + "b1 meta nfproto ipv6 meta l4proto 253"
                + " counter comment \"v6in\"");
        nft(remote, "add rule inet " + counters + " in meta l4proto { tcp, udp } th dport 4789"
                + " counter comment \"portin\"");
        nft(remote, "add rule inet " + counters + " out oifname " + id + "a1 meta nfproto ipv4 meta l4proto 253"
                + " counter comment \"v4out\"");
        nft(remote, "add rule inet " + counters + " out oifname " + id + "b1 meta nfproto ipv6 meta l4proto 253"
                + " counter comment \"v6out\"");
        nft(remote, "add rule inet " + counters + " out meta l4proto { tcp, udp } th sport 4789"
                + " counter comment \"portout\"");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void rawIpPathsOverIpv4AndIpv6CarryIpv4AndIpv6Flows() throws Exception {
        Path remoteSocket = dir.resolve("r/remote.sock");
        Path localSocket = dir.resolve("l/local.sock");
        Path remoteConfig = lab.write("remote.toml", "[portal]\nrole = \"remote\"\ntun = \"" + id + "t1\"\n"
                + "address = [\"10.220.14.1/30\", \"fd10:220:14::1/64\"]\nlisten = \"[::]:4789\"\n"
                + "routing = \"auto\"\nroutes = [\"10.220.10.0/24\", \"fd10:220:10::/64\"]\nnat = true\n"
                + "control_socket = \"" + remoteSocket + "\"\n"
                + "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"\n");
        Path localConfig = lab.write("local.toml", "[portal]\nrole = \"local\"\ntun = \"" + id + "t0\"\n"
                + "address = [\"10.220.14.2/30\", \"fd10:220:14::2/64\"]\n"
                + "routing = \"auto\"\nroutes = [\"0.0.0.0/0\", \"::/0\"]\n"
                + "control_socket = \"" + localSocket + "\"\n"
                + "private_key = \"" + SampleConfigs.LOCAL_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.REMOTE_PUBLIC + "\"\n"
                + "\n[[path]]\nname = \"a\"\ntransport = \"rawip\"\nlocal = \"10.220.11.1\"\n"
                + "remote = \"10.220.11.2:4789\"\n"
                + "\n[[path]]\nname = \"b\"\ntransport = \"rawip\"\nlocal = \"fd10:220:12::1\"\n"
                + "remote = \"[fd10:220:12::2]:4789\"\n");

        Process remotePortal = lab.portal(remote, "remote.log", "run", "-c", remoteConfig.toString());
        lab.waitForLine(remotePortal, "remote.log", "portal up: remote portal");
        assertThat(lab.log("remote.log")).as("a raw IP listener per family on [::]")
                .contains("raw IP transport listening on 0:0:0:0:0:0:0:0 (protocol 253)",
                        "raw IP transport listening on 0.0.0.0 (protocol 253)");
        Process localPortal = lab.portal(local, "local.log", "run", "-c", localConfig.toString());
        lab.waitForLine(localPortal, "local.log", "routing up");
        lab.waitForLine(localPortal, "local.log", "portal up: local portal");
        // The remote knows a path from its first authenticated frame on it: both families must arrive.
        long joinStart = System.nanoTime();
        try {
            PortalNetns.waitUntil(() -> status(remoteSocket).get("paths").size() == 2
                    && status(localSocket).get("sessionEstablished").asBoolean(), "both raw IP paths joined the remote");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + lab.diagnostics(localSocket, remoteSocket), e);
        }
        System.out.printf("both raw IP paths joined the remote %d ms after the local portal was up%n",
                (System.nanoTime() - joinStart) / 1_000_000);

        assertThat(PortalNetns.pings(client, "-4", "10.220.13.2")).as("IPv4 ping through the tunnel").isTrue();
        assertThat(PortalNetns.pings(client, "-6", "fd10:220:13::2")).as("IPv6 ping through the tunnel").isTrue();

        lab.iperf3Server(server, 5201);
        JsonNode v4 = lab.iperf3Delivering(client, "10.220.13.2", 5201, 2, 1_000_001);
        JsonNode v6 = lab.iperf3Delivering(client, "fd10:220:13::2", 5201, 2, 1_000_001);
        long v4Bytes = v4.at("/end/sum_received/bytes").asLong();
        long v6Bytes = v6.at("/end/sum_received/bytes").asLong();
        System.out.printf("iperf3 over raw IP paths: IPv4 flow %.1f Mbit/s, IPv6 flow %.1f Mbit/s%n",
                v4.at("/end/sum_received/bits_per_second").asDouble() / 1e6,
                v6.at("/end/sum_received/bits_per_second").asDouble() / 1e6);
        assertThat(v4Bytes).as("bytes of the IPv4 flow that reached the server").isGreaterThan(1_000_000);
        assertThat(v6Bytes).as("bytes of the IPv6 flow that reached the server").isGreaterThan(1_000_000);
        assertThat(v4.get("server_output_text").asText()).as("the server sees the remote portal's address")
                .contains("Accepted connection from 10.220.13.1,");
        assertThat(v6.get("server_output_text").asText()).contains("Accepted connection from fd10:220:13::1,");

        // Both paths up (a starved machine can make probes time out for a moment; they are re-admitted).
        PortalNetns.waitUntil(() -> "up".equals(path(status(localSocket), "a").get("state").asText())
                && "up".equals(path(status(localSocket), "b").get("state").asText()), "both paths up");
        JsonNode localStatus = status(localSocket);
        String listing = output("ip", "netns", "exec", remote, "nft", "list", "table", "inet", counters);
        System.out.println(listing);
        for (String name : new String[] {"a", "b"}) {
            JsonNode p = path(localStatus, name);
            assertThat(p.get("transport").asText()).isEqualTo("rawip");
            assertThat(p.get("remote").asText()).endsWith(" proto 253");
            System.out.printf("path %s: %d frames / %d bytes sent, %d / %d received%n", name,
                    p.get("packetsSent").asLong(), p.get("bytesSent").asLong(), p.get("packetsReceived").asLong(),
                    p.get("bytesReceived").asLong());
        }
        JsonNode b = path(localStatus, "b");
        assertThat(b.get("local").asText()).as("path b is the IPv6 one").contains(":");
        long[] v6in = counter(listing, "v6in");
        long[] v6out = counter(listing, "v6out");
        long[] v4in = counter(listing, "v4in");
        long[] v4out = counter(listing, "v4out");
        // Each path carried a share of the flows (not just probes), as protocol 253 over its own family.
        assertThat(v6in[1] + v6out[1]).as("protocol 253 bytes over IPv6 on link b").isGreaterThan(200_000);
        assertThat(v4in[1] + v4out[1]).as("protocol 253 bytes over IPv4 on link a").isGreaterThan(200_000);
        // What the local portal says it sent on path b arrived on link b as IPv6 protocol 253 (40-byte header each).
        assertThat(v6in[0]).isGreaterThanOrEqualTo(b.get("packetsSent").asLong() * 9 / 10);
        assertThat(v6in[1]).isGreaterThanOrEqualTo(b.get("bytesSent").asLong() * 9 / 10);
        assertThat(counter(listing, "portin")[0] + counter(listing, "portout")[0])
                .as("nothing went by TCP or UDP port 4789").isZero();

        PortalNetns.stop(localPortal);
        PortalNetns.stop(remotePortal);
        assertThat(lab.log("local.log")).contains("routing removed\n");
        assertThat(lab.log("remote.log")).contains("routing removed\n");
    }

    private static void nft(String ns, String command) throws Exception {
        run("ip", "netns", "exec", ns, "nft", command);
    }
}
