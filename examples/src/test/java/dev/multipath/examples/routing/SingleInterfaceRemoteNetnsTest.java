package dev.multipath.examples.routing;

import static dev.multipath.examples.routing.PortalNetns.assertSameState;
import static dev.multipath.examples.routing.PortalNetns.counter;
import static dev.multipath.examples.routing.PortalNetns.output;
import static dev.multipath.examples.routing.PortalNetns.run;
import static dev.multipath.examples.routing.PortalNetns.sh;
import static dev.multipath.examples.routing.PortalNetns.snapshot;
import static dev.multipath.examples.routing.PortalNetns.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multipath.examples.config.SampleConfigs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A remote portal with a single interface (the seed's extended goal 5): its paths arrive on the interface by which it
 * also reaches the server, a host on the same LAN segment.
 * <pre>
 *                        ==path a: udp over IPv4==  router --- LAN (bridge) --- remote portal (one interface)
 * client --- local portal                          (g)               |
 *                        ==path b: rawip over IPv6==                  +-------- server
 * </pre>
 * Both portals run with {@code routing = "auto"} and the remote finds its one interface as the public one; its IPv6
 * default route is learned from a router advertisement and must survive IPv6 forwarding being turned on. The
 * client's ping, ping -6 and iperf3 flows cross the tunnel; the server, which has no route to the client (only its
 * LAN), sees the remote portal's address as the peer; after SIGTERM the local and remote namespaces hold exactly what
 * they held before. Needs root, nft and iperf3.
 */
@Tag("netns")
class SingleInterfaceRemoteNetnsTest {

    private final String id = "mpvs" + ProcessHandle.current().pid() % 10000;
    private final String client = id + "-c";
    private final String local = id + "-l";
    private final String router = id + "-g";
    private final String remote = id + "-r";
    private final String server = id + "-s";

    @TempDir
    Path dir;
    private PortalNetns lab;

    @BeforeEach
    void setUp() throws Exception {
        PortalNetns.requireRootNftAndIperf3("SingleInterfaceRemoteNetnsTest", "gcc");
        lab = new PortalNetns(dir);
        for (String ns : new String[] {client, local, router, remote, server}) {
            lab.namespace(ns);
        }
        lab.veth(client, id + "c0", "10.220.20.2/24 fd10:220:20::2/64", local, id + "c1",
                "10.220.20.1/24 fd10:220:20::1/64");
        // The local portal's two links end at a router: one IPv4-only, one IPv6-only.
        lab.veth(local, id + "a0", "10.220.21.1/24", router, id + "a1", "10.220.21.254/24");
        lab.veth(local, id + "b0", "fd10:220:22::1/64", router, id + "b1", "fd10:220:22::fe/64");
        // The router's LAN: a bridge with the remote portal's only interface and the server on it.
        sh("ip -n " + router + " link add " + id + "br type bridge");
        lab.addresses(router, id + "br", "10.220.23.254/24 fd10:220:23::fe/64");
        sh("ip -n " + router + " link set " + id + "br up");
        lab.veth(remote, id + "r0", "10.220.23.1/24 fd10:220:23::1/64", router, id + "r1", "");
        lab.veth(server, id + "s0", "10.220.23.2/24 fd10:220:23::2/64", router, id + "s1", "");
        sh("ip -n " + router + " link set " + id + "r1 master " + id + "br");
        sh("ip -n " + router + " link set " + id + "s1 master " + id + "br");
        sh("ip netns exec " + router + " sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1");
        sh("ip -n " + client + " route add default via 10.220.20.1");
        sh("ip -n " + client + " -6 route add default via fd10:220:20::1");
        // Default routes as an ISP gives them; the local portal's policy routing sends client traffic to the TUN.
        sh("ip -n " + local + " route add default via 10.220.21.254");
        sh("ip -n " + local + " -6 route add default via fd10:220:22::fe");
        sh("ip -n " + remote + " route add default via 10.220.23.254");
        // The remote's IPv6 default route comes from a router advertisement, as on most hosts; IPv6 forwarding
        // deletes such a route at once unless accept_ra is 2 (then the IPv6 path could not be answered).
        sh("ip netns exec " + server + " sysctl -q -w net.ipv6.conf." + id + "s0.accept_ra=0");
        Path sendRa = dir.resolve("send_ra");
        Path source = Files.writeString(dir.resolve("send_ra.c"), new String(
                getClass().getResourceAsStream("send_ra.c").readAllBytes(), StandardCharsets.UTF_8));
        run("gcc", "-O2", "-o", sendRa.toString(), source.toString());
        PortalNetns.waitUntil(() -> {
            run("ip", "netns", "exec", router, sendRa.toString(), id + "br");
            return output("ip", "-n", remote, "-6", "route", "show", "default").contains(" proto ra ");
        }, "the remote's IPv6 default route learned from the router's advertisement");
        // The server has only its LAN (no default route): it can answer the remote portal, never the client.
        // Count what the server receives from the remote portal's address.
        run("ip", "netns", "exec", server, "nft", "add table inet " + id + "count");
        run("ip", "netns", "exec", server, "nft", "add chain inet " + id + "count in { type filter hook input"
                + " priority 0 ; }");
        run("ip", "netns", "exec", server, "nft", "add rule inet " + id + "count in ip saddr 10.220.23.1 icmp type"
                + " echo-request counter comment \"ping4\"");
        run("ip", "netns", "exec", server, "nft", "add rule inet " + id + "count in ip6 saddr fd10:220:23::1 icmpv6"
                + " type echo-request counter comment \"ping6\"");
        run("ip", "netns", "exec", server, "nft", "add rule inet " + id + "count in ip saddr 10.220.20.0/24"
                + " counter comment \"client4\"");
        run("ip", "netns", "exec", server, "nft", "add rule inet " + id + "count in ip6 saddr fd10:220:20::/64"
                + " counter comment \"client6\"");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void remoteWithOneInterfaceNatsTheClientsToItsAddressAndLeavesNothingBehind() throws Exception {
        assertThat(output("ip", "-n", remote, "-o", "link", "show").lines().filter(l -> !l.contains(" lo:")))
                .as("the remote portal has one interface").hasSize(1);
        String localBefore = snapshot(local);
        String remoteBefore = snapshot(remote);
        Path localSocket = dir.resolve("l/local.sock");
        Path remoteSocket = dir.resolve("r/remote.sock");
        Path remoteConfig = lab.write("remote.toml", "[portal]\nrole = \"remote\"\ntun = \"" + id + "t1\"\n"
                + "address = [\"10.220.24.1/30\", \"fd10:220:24::1/64\"]\nlisten = \"[::]:4789\"\n"
                + "routing = \"auto\"\nroutes = [\"10.220.20.0/24\", \"fd10:220:20::/64\"]\nnat = true\n"
                + "control_socket = \"" + remoteSocket + "\"\n"
                + "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"\n");
        Path localConfig = lab.write("local.toml", "[portal]\nrole = \"local\"\ntun = \"" + id + "t0\"\n"
                + "address = [\"10.220.24.2/30\", \"fd10:220:24::2/64\"]\n"
                + "routing = \"auto\"\nroutes = [\"0.0.0.0/0\", \"::/0\"]\n"
                + "control_socket = \"" + localSocket + "\"\n"
                + "private_key = \"" + SampleConfigs.LOCAL_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.REMOTE_PUBLIC + "\"\n"
                + "\n[[path]]\nname = \"a\"\ntransport = \"udp\"\nlocal = \"10.220.21.1\"\n"
                + "remote = \"10.220.23.1:4789\"\n"
                + "\n[[path]]\nname = \"b\"\ntransport = \"rawip\"\nlocal = \"fd10:220:22::1\"\n"
                + "remote = \"[fd10:220:23::1]:4789\"\n");

        Process remotePortal = lab.portal(remote, "remote.log", "run", "-c", remoteConfig.toString());
        lab.waitForLine(remotePortal, "remote.log", "portal up: remote portal");
        assertThat(lab.log("remote.log")).as("NAT out of the one interface the paths arrive on").contains(
                "# public interface: " + id + "r0 (found: the default route's)",
                "nft add rule inet portal_" + id + "t1 postrouting iifname " + id + "t1 oifname " + id + "r0"
                        + " masquerade");
        Process localPortal = lab.portal(local, "local.log", "run", "-c", localConfig.toString());
        lab.waitForLine(localPortal, "local.log", "routing up");
        lab.waitForLine(localPortal, "local.log", "path a up");
        lab.waitForLine(localPortal, "local.log", "path b up");
        assertThat(output("ip", "-n", remote, "-6", "route", "show", "default"))
                .as("forwarding on has not deleted the default route learned from RA").contains(" proto ra ");
        assertThat(lab.log("remote.log")).contains("sysctl -w net/ipv6/conf/" + id + "r0/accept_ra=2");
        PortalNetns.waitUntil(() -> status(remoteSocket).get("paths").size() == 2,
                "both paths (the IPv6 one answered by the RA-learned route) joined the remote");
        assertThat(lab.log("local.log")).contains("# path a: via 10.220.21.254 dev " + id + "a0",
                "# path b: via fd10:220:22::fe dev " + id + "b0");
        PortalNetns.waitUntil(() -> status(localSocket).get("sessionEstablished").asBoolean(), "session");

        assertThat(PortalNetns.pings(client, "-4", "10.220.23.2")).as("IPv4 ping from the client to the server")
                .isTrue();
        assertThat(PortalNetns.pings(client, "-6", "fd10:220:23::2")).as("IPv6 ping from the client to the server")
                .isTrue();

        lab.iperf3Server(server, 5201);
        JsonNode v4 = lab.iperf3Delivering(client, "10.220.23.2", 5201, 2, 500_001);
        JsonNode v6 = lab.iperf3Delivering(client, "fd10:220:23::2", 5201, 2, 500_001, "-R");
        System.out.printf("single-interface remote: IPv4 flow %.1f Mbit/s, IPv6 flow (server to client) %.1f Mbit/s%n",
                v4.at("/end/sum_received/bits_per_second").asDouble() / 1e6,
                v6.at("/end/sum_received/bits_per_second").asDouble() / 1e6);
        assertThat(v4.at("/end/sum_received/bytes").asLong()).as("IPv4 flow bytes at the server").isGreaterThan(500_000);
        assertThat(v6.at("/end/sum_received/bytes").asLong()).as("IPv6 flow bytes at the client").isGreaterThan(500_000);
        assertThat(v4.get("server_output_text").asText()).as("the server sees the remote portal's public address")
                .contains("Accepted connection from 10.220.23.1,");
        assertThat(v6.get("server_output_text").asText()).contains("Accepted connection from fd10:220:23::1,");

        String counters = output("ip", "netns", "exec", server, "nft", "list", "table", "inet", id + "count");
        assertThat(counter(counters, "ping4")[0]).as("echo requests from the remote's address").isPositive();
        assertThat(counter(counters, "ping6")[0]).isPositive();
        assertThat(counter(counters, "client4")[0] + counter(counters, "client6")[0])
                .as("nothing reaches the server with the client's own address").isZero();
        JsonNode status = status(localSocket);
        assertThat(status.get("packetsFromSource").asLong()).as("the client's packets went into the local TUN")
                .isGreaterThan(1000);

        PortalNetns.stop(localPortal);
        PortalNetns.stop(remotePortal);
        assertThat(lab.log("local.log")).contains("routing removed\n");
        assertThat(lab.log("remote.log")).contains("routing removed\n");
        assertSameState(localBefore, snapshot(local));
        assertSameState(remoteBefore, snapshot(remote));
        assertThat(dir.resolve("r/" + id + "t1.routing")).doesNotExist();
        assertThat(dir.resolve("l/" + id + "t0.routing")).doesNotExist();
    }
}
