package dev.multipath.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.SampleConfigs;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command plans as text (what --dry-run prints) and their teardown. */
class RoutingPlannerTest {

    static final String LOCAL = "[portal]\nrole = \"local\"\ntun = \"mp0\"\n"
            + "address = [\"172.19.152.2/30\", \"fd00:19::2/64\"]\nmtu = 1380\n"
            + "routes = [\"0.0.0.0/0\", \"::/0\", \"10.9.0.0/16\"]\n"
            + "private_key = \"" + SampleConfigs.LOCAL_PRIVATE + "\"\n"
            + "[peer]\npublic_key = \"" + SampleConfigs.REMOTE_PUBLIC + "\"\n"
            + "[[path]]\nname = \"dsl\"\ntransport = \"udp\"\nlocal = \"10.0.1.1\"\nremote = \"198.51.100.7:4789\"\n"
            + "[[path]]\nname = \"dsl-tcp\"\ntransport = \"tcp\"\nlocal = \"10.0.1.1\"\nremote = \"198.51.100.7:4789\"\n"
            + "[[path]]\nname = \"lte6\"\ntransport = \"udp\"\nlocal = \"2001:db8:2::10\"\n"
            + "remote = \"[2001:db8:ff::7]:4789\"\ngateway = \"fe80::1\"\ninterface = \"wwan0\"\n";

    static final String REMOTE = "[portal]\nrole = \"remote\"\ntun = \"mp1\"\nlisten = \"[::]:4789\"\n"
            + "address = [\"172.19.152.1/30\", \"fd00:19::1/64\"]\n"
            + "routes = [\"192.168.7.0/24\", \"fd00:7::/64\"]\nnat = true\n"
            + "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"\n"
            + "[peer]\npublic_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"\n";

    static HostFacts localFacts() throws Exception {
        return new HostFacts(Map.of(
                "dsl", new LinkRoute(Optional.of(InetAddress.getByName("10.0.1.254")), "eth1", Optional.of("eth1")),
                "dsl-tcp", new LinkRoute(Optional.of(InetAddress.getByName("10.0.1.254")), "eth1",
                        Optional.of("eth1"))),
                Optional.of("eth1"), false, false, false);
    }

    @Test
    void localPlanWithIpv4AndIpv6PathsAndDefaultRoutes() throws Exception {
        RoutingPlan plan = RoutingPlanner.plan(PortalConfig.parse(LOCAL), localFacts(), true);

        assertThat(plan.render()).isEqualTo(String.join("\n",
                "# path dsl: via 10.0.1.254 dev eth1 (found: ip route get 198.51.100.7 from 10.0.1.1)",
                "ip tuntap add dev mp0 mode tun",
                "ip link set dev mp0 mtu 1380 up",
                "ip -4 address add 172.19.152.2/30 dev mp0",
                "ip -6 address add fd00:19::2/64 dev mp0 nodad",
                "sysctl -w net.ipv4.ip_forward=1",
                "sysctl -w net.ipv6.conf.all.forwarding=1",
                "ip -4 route add default via 10.0.1.254 dev eth1 table 7801",
                "ip -4 rule add from 10.0.1.1/32 table 7801 priority 7801",
                "ip -6 route add default via fe80::1 dev wwan0 table 7803",
                "ip -6 rule add from 2001:db8:2::10/128 table 7803 priority 7803",
                "ip -4 route add 0.0.0.0/0 dev mp0 table 7800",
                "ip -6 route add ::/0 dev mp0 table 7800",
                "ip -4 route add 10.9.0.0/16 dev mp0",
                "ip -4 rule add table main suppress_prefixlength 0 priority 8800",
                "ip -4 rule add table 7800 priority 8801",
                "ip -6 rule add table main suppress_prefixlength 0 priority 8800",
                "ip -6 rule add table 7800 priority 8801", ""));
        assertThat(plan.downCommands()).extracting(HostCommand::toString).containsExactly(
                "ip -6 rule del table 7800 priority 8801",
                "ip -6 rule del table main suppress_prefixlength 0 priority 8800",
                "ip -4 rule del table 7800 priority 8801",
                "ip -4 rule del table main suppress_prefixlength 0 priority 8800",
                "ip -4 route del 10.9.0.0/16 dev mp0",
                "ip -6 route del ::/0 dev mp0 table 7800",
                "ip -4 route del 0.0.0.0/0 dev mp0 table 7800",
                "ip -6 rule del from 2001:db8:2::10/128 table 7803 priority 7803",
                "ip -6 route del default via fe80::1 dev wwan0 table 7803",
                "ip -4 rule del from 10.0.1.1/32 table 7801 priority 7801",
                "ip -4 route del default via 10.0.1.254 dev eth1 table 7801",
                "sysctl -w net.ipv6.conf.all.forwarding=0",
                "sysctl -w net.ipv4.ip_forward=0",
                "ip -6 address del fd00:19::2/64 dev mp0",
                "ip -4 address del 172.19.152.2/30 dev mp0",
                "ip tuntap del dev mp0 mode tun");
        assertExactInverse(plan);
    }

    @Test
    void remotePlanWithNatOnTheDefaultRouteInterfaceKeepsForwardingThatWasOn() throws Exception {
        HostFacts facts = new HostFacts(Map.of(), Optional.of("eth0"), true, false, false);
        RoutingPlan plan = RoutingPlanner.plan(PortalConfig.parse(REMOTE), facts, false);

        assertThat(plan.render()).isEqualTo(String.join("\n",
                "# net.ipv4.ip_forward is already 1: left as it is",
                "# public interface: eth0 (found: the default route's)",
                "ip -4 address add 172.19.152.1/30 dev mp1",
                "ip -6 address add fd00:19::1/64 dev mp1 nodad",
                "sysctl -w net.ipv6.conf.all.forwarding=1",
                "ip -4 route add 192.168.7.0/24 dev mp1",
                "ip -6 route add fd00:7::/64 dev mp1",
                "nft create table inet portal_mp1",
                "nft create chain inet portal_mp1 postrouting '{ type nat hook postrouting priority 100; policy accept; }'",
                "nft add rule inet portal_mp1 postrouting iifname mp1 oifname eth0 masquerade", ""));
        assertThat(plan.downCommands()).extracting(HostCommand::toString).containsExactly(
                "nft delete table inet portal_mp1",
                "ip -6 route del fd00:7::/64 dev mp1",
                "ip -4 route del 192.168.7.0/24 dev mp1",
                "sysctl -w net.ipv6.conf.all.forwarding=0",
                "ip -6 address del fd00:19::1/64 dev mp1",
                "ip -4 address del 172.19.152.1/30 dev mp1");
        assertExactInverse(plan);
    }

    @Test
    void singleStringAddressIpv4OnlyAndAnExistingTun() throws Exception {
        String config = REMOTE.replace("address = [\"172.19.152.1/30\", \"fd00:19::1/64\"]", "address = \"172.19.152.1/30\"")
                .replace("routes = [\"192.168.7.0/24\", \"fd00:7::/64\"]\nnat = true\n",
                        "nat = true\npublic_interface = \"wan-1\"\n");
        RoutingPlan plan = RoutingPlanner.plan(PortalConfig.parse(config),
                new HostFacts(Map.of(), Optional.empty(), false, false, true), true);

        assertThat(plan.upCommands()).extracting(HostCommand::toString).containsExactly(
                "ip link set dev mp1 mtu 1428 up",
                "ip -4 address add 172.19.152.1/30 dev mp1",
                "sysctl -w net.ipv4.ip_forward=1",
                "nft create table inet portal_mp1",
                "nft create chain inet portal_mp1 postrouting '{ type nat hook postrouting priority 100; policy accept; }'",
                "nft add rule inet portal_mp1 postrouting iifname mp1 oifname wan-1 masquerade");
        assertThat(plan.notes()).contains("TUN mp1 exists: not created, not deleted");
        assertThat(plan.downCommands()).extracting(HostCommand::toString).doesNotContain(
                "ip tuntap del dev mp1 mode tun");
        assertExactInverse(plan);
    }

    @Test
    void localNatMasqueradesIntoTheTunAndOnLinkPathsHaveNoGateway() throws Exception {
        String config = LOCAL.replace("routes = [\"0.0.0.0/0\", \"::/0\", \"10.9.0.0/16\"]\n",
                "routes = [\"10.9.0.0/16\"]\nnat = true\nrouting_table = 300\n");
        HostFacts facts = new HostFacts(Map.of("dsl", new LinkRoute(Optional.empty(), "veth1", Optional.of("veth1")),
                "dsl-tcp", new LinkRoute(Optional.empty(), "veth1", Optional.of("veth1"))),
                Optional.empty(), true, true, false);
        RoutingPlan plan = RoutingPlanner.plan(PortalConfig.parse(config), facts, false);

        assertThat(plan.upCommands()).extracting(HostCommand::toString).contains(
                "ip -4 route add default dev veth1 table 301",
                "ip -4 rule add from 10.0.1.1/32 table 301 priority 301",
                "ip -4 route add 10.9.0.0/16 dev mp0",
                "nft add rule inet portal_mp0 postrouting oifname mp0 masquerade")
                .noneMatch(c -> c.contains("suppress_prefixlength") || c.startsWith("sysctl")
                        || c.contains("tuntap"));
        assertExactInverse(plan);
    }

    @Test
    void refusesPlansThatWouldRouteWrongly() throws Exception {
        HostFacts wrongLink = new HostFacts(Map.of(
                "dsl", new LinkRoute(Optional.of(InetAddress.getByName("10.0.2.254")), "eth2", Optional.of("eth1")),
                "dsl-tcp", new LinkRoute(Optional.empty(), "eth1", Optional.of("eth1"))),
                Optional.empty(), false, false, false);
        assertThatThrownBy(() -> RoutingPlanner.plan(PortalConfig.parse(LOCAL), wrongLink, true))
                .isInstanceOf(RoutingException.class)
                .hasMessageContaining("path dsl: the main table sends 198.51.100.7 out of eth2, but 10.0.1.1 is on eth1");
        HostFacts noRoute = new HostFacts(Map.of(), Optional.empty(), false, false, false);
        assertThatThrownBy(() -> RoutingPlanner.plan(PortalConfig.parse(LOCAL), noRoute, true))
                .hasMessageContaining("path dsl: no route found to 198.51.100.7 from 10.0.1.1");
        assertThatThrownBy(() -> RoutingPlanner.plan(PortalConfig.parse(REMOTE), noRoute, true))
                .hasMessageContaining("set public_interface");
        assertThatThrownBy(() -> RoutingPlanner.plan(PortalConfig.parse(REMOTE.replace("192.168.7.0/24", "0.0.0.0/0")),
                new HostFacts(Map.of(), Optional.of("eth0"), false, false, false), true))
                .hasMessageContaining("on a remote portal would send its own default traffic into the tunnel");
    }

    /**
     * The sample config of a remote portal with one interface (examples/config/remote-single-interface.toml), as
     * {@code portal up --dry-run} prints it on a host whose only interface eth0 holds the default route: NAT out of
     * eth0 for what comes out of the TUN only, the clients' networks into the TUN, and no route or rule that would
     * take the portal's own path traffic (which arrives and leaves on eth0) anywhere but the main table.
     */
    @Test
    void singleInterfaceRemoteSampleMasqueradesOutOfItsOneInterfaceAndRoutesNothingThroughIt() throws Exception {
        // Surefire runs in the module directory.
        PortalConfig config = PortalConfig.load(Path.of("config/remote-single-interface.toml"));
        HostFacts facts = new HostFacts(Map.of(), Optional.of("eth0"), false, false, false);
        RoutingPlan plan = RoutingPlanner.plan(config, facts, true);

        assertThat(plan.render()).isEqualTo(String.join("\n",
                "# public interface: eth0 (found: the default route's)",
                "ip tuntap add dev mp1 mode tun",
                "ip link set dev mp1 mtu 1428 up",
                "ip -4 address add 172.19.152.1/30 dev mp1",
                "ip -6 address add fd00:19::1/64 dev mp1 nodad",
                "sysctl -w net.ipv4.ip_forward=1",
                "sysctl -w net.ipv6.conf.all.forwarding=1",
                "ip -4 route add 192.168.1.0/24 dev mp1",
                "ip -6 route add fd00:1::/64 dev mp1",
                "nft create table inet portal_mp1",
                "nft create chain inet portal_mp1 postrouting '{ type nat hook postrouting priority 100; policy accept; }'",
                "nft add rule inet portal_mp1 postrouting iifname mp1 oifname eth0 masquerade", ""));
        assertThat(plan.downCommands()).extracting(HostCommand::toString).containsExactly(
                "nft delete table inet portal_mp1",
                "ip -6 route del fd00:1::/64 dev mp1",
                "ip -4 route del 192.168.1.0/24 dev mp1",
                "sysctl -w net.ipv6.conf.all.forwarding=0",
                "sysctl -w net.ipv4.ip_forward=0",
                "ip -6 address del fd00:19::1/64 dev mp1",
                "ip -4 address del 172.19.152.1/30 dev mp1",
                "ip tuntap del dev mp1 mode tun");
        assertThat(plan.upCommands()).extracting(HostCommand::toString)
                .as("no rule, no default route, nothing routed via the one interface: the paths keep the main table")
                .noneMatch(c -> c.startsWith("ip ") && (c.contains(" rule ") || c.contains("/0 ")
                        || c.contains(" default ") || c.contains("eth0")));
        assertExactInverse(plan);

        // Forwarding already on (a host that routes for containers too): left on, and down leaves it on.
        RoutingPlan forwarding = RoutingPlanner.plan(config, new HostFacts(Map.of(), Optional.of("eth0"), true, true,
                false), false);
        assertThat(forwarding.upCommands()).extracting(HostCommand::toString).noneMatch(c -> c.startsWith("sysctl"));
        assertThat(forwarding.notes()).contains("net.ipv4.ip_forward is already 1: left as it is",
                "net.ipv6.conf.all.forwarding is already 1: left as it is");
    }

    /**
     * Turning IPv6 forwarding on deletes default routes learned from router advertisements at once unless the
     * interface's accept_ra is 2 (measured in a namespace: the route was gone right after forwarding=1, and stayed
     * with accept_ra=2). On a single-interface host whose IPv6 default comes from RA, the plan sets accept_ra=2 first
     * and puts 1 back after forwarding is off again.
     */
    @Test
    void ipv6DefaultRouteFromRouterAdvertisementsSurvivesForwarding() throws Exception {
        PortalConfig config = PortalConfig.load(Path.of("config/remote-single-interface.toml"));
        HostFacts facts = new HostFacts(Map.of(), Optional.of("eth0"), false, false, false, Map.of("eth0", 1));
        RoutingPlan plan = RoutingPlanner.plan(config, facts, false);
        assertThat(plan.upCommands()).extracting(HostCommand::toString).containsSubsequence(
                "sysctl -w net.ipv4.ip_forward=1",
                "sysctl -w net/ipv6/conf/eth0/accept_ra=2",
                "sysctl -w net.ipv6.conf.all.forwarding=1");
        assertThat(plan.downCommands()).extracting(HostCommand::toString).containsSubsequence(
                "sysctl -w net.ipv6.conf.all.forwarding=0",
                "sysctl -w net/ipv6/conf/eth0/accept_ra=1");
        assertThat(plan.notes()).contains("IPv6 default route of eth0 learned from router advertisements:"
                + " accept_ra = 2 so that forwarding does not delete it");
        assertExactInverse(plan);

        // Forwarding already on: the host already lives with it; accept_ra 2 already: nothing to do; 0: only a note.
        for (HostFacts other : List.of(
                new HostFacts(Map.of(), Optional.of("eth0"), false, true, false, Map.of("eth0", 1)),
                new HostFacts(Map.of(), Optional.of("eth0"), false, false, false, Map.of("eth0", 2)),
                new HostFacts(Map.of(), Optional.of("eth0"), false, false, false, Map.of("eth0", 0)))) {
            assertThat(RoutingPlanner.plan(config, other, false).upCommands()).extracting(HostCommand::toString)
                    .noneMatch(c -> c.contains("accept_ra"));
        }
        assertThat(RoutingPlanner.plan(config, new HostFacts(Map.of(), Optional.of("eth0"), false, false, false,
                Map.of("eth0", 0)), false).notes()).anyMatch(n -> n.contains("accept_ra = 0: forwarding will delete"));
        // An IPv4-only tunnel turns no IPv6 forwarding on, so it leaves accept_ra alone.
        PortalConfig ipv4Only = PortalConfig.parse(Files.readString(Path.of("config/remote-single-interface.toml"))
                .replace("address = [\"172.19.152.1/30\", \"fd00:19::1/64\"]", "address = \"172.19.152.1/30\"")
                .replace("routes = [\"192.168.1.0/24\", \"fd00:1::/64\"]", "routes = [\"192.168.1.0/24\"]"));
        assertThat(RoutingPlanner.plan(ipv4Only, facts, false).upCommands()).extracting(HostCommand::toString)
                .noneMatch(c -> c.contains("ipv6"));
    }

    @Test
    void probeFindsDefaultRoutesLearnedFromRouterAdvertisements() {
        Map<String, String> answers = Map.of(
                "ip -6 route show default", "default via fe80::1 dev ens3 proto ra metric 1024 expires 1642sec"
                        + " hoplimit 64 pref medium\ndefault via fd00::1 dev eth1.7 proto static metric 1024\n",
                "sysctl -n net/ipv6/conf/ens3/accept_ra", "1\n");
        CommandRunner host = command -> {
            String answer = answers.get(command.toString());
            if (answer == null) {
                throw new RoutingException("unexpected command " + command);
            }
            return answer;
        };
        assertThat(HostProbe.raDefaultRoutes(host)).containsExactly(Map.entry("ens3", 1));
        assertThat(HostProbe.raDefaultRoutes(command -> {
            throw new RoutingException("no IPv6");
        })).isEmpty();
    }

    /** An IPv6-only single-interface host: the public interface comes from the IPv6 default route. */
    @Test
    void singleInterfaceRemoteWithOnlyAnIpv6DefaultRouteNatsOutOfThatInterface() throws Exception {
        PortalConfig config = PortalConfig.load(Path.of("config/remote-single-interface.toml"));
        Map<String, String> answers = Map.of(
                "ip -4 route show default", "",
                "ip -6 route show default", "default via fe80::1 dev ens3 proto static metric 1024 pref medium\n");
        List<String> asked = new ArrayList<>();
        CommandRunner host = command -> {
            asked.add(command.toString());
            String answer = answers.get(command.toString());
            if (answer == null) {
                throw new RoutingException("unexpected command " + command);
            }
            return answer;
        };
        HostFacts facts = HostProbe.probe(config, host);
        assertThat(facts.defaultInterface()).contains("ens3");
        assertThat(asked).as("read-only queries").allMatch(c -> c.startsWith("ip ") && c.contains(" show "));
        assertThat(RoutingPlanner.plan(config, facts, false).upCommands()).extracting(HostCommand::toString)
                .contains("nft add rule inet portal_mp1 postrouting iifname mp1 oifname ens3 masquerade");
    }

    /**
     * The local portal of a single-interface remote: every path goes to the same remote address, each from its own
     * source address, so each gets its own table and rule; the rules come before the client rules, so the paths'
     * packets to the remote never enter the tunnel even though the tunnel takes the default route.
     */
    @Test
    void localPathsToOneRemoteAddressKeepTheirOwnLinks() throws Exception {
        String config = LOCAL.replace("198.51.100.7:4789", "203.0.113.5:4789")
                .replace("[2001:db8:ff::7]:4789", "[2001:db8:5::5]:4789")
                .replace("routes = [\"0.0.0.0/0\", \"::/0\", \"10.9.0.0/16\"]", "routes = [\"0.0.0.0/0\", \"::/0\"]")
                .replace("[[path]]\nname = \"dsl-tcp\"\ntransport = \"tcp\"\nlocal = \"10.0.1.1\"",
                        "[[path]]\nname = \"lte\"\ntransport = \"rawip\"\nlocal = \"10.0.2.1\"");
        HostFacts facts = new HostFacts(Map.of(
                "dsl", new LinkRoute(Optional.of(InetAddress.getByName("10.0.1.254")), "eth1", Optional.of("eth1")),
                "lte", new LinkRoute(Optional.of(InetAddress.getByName("10.0.2.254")), "eth2", Optional.of("eth2"))),
                Optional.empty(), false, false, false);
        RoutingPlan plan = RoutingPlanner.plan(PortalConfig.parse(config), facts, false);
        List<String> up = plan.upCommands().stream().map(HostCommand::toString).toList();
        assertThat(up).containsSubsequence(
                "ip -4 route add default via 10.0.1.254 dev eth1 table 7801",
                "ip -4 rule add from 10.0.1.1/32 table 7801 priority 7801",
                "ip -4 route add default via 10.0.2.254 dev eth2 table 7802",
                "ip -4 rule add from 10.0.2.1/32 table 7802 priority 7802",
                "ip -6 route add default via fe80::1 dev wwan0 table 7803",
                "ip -6 rule add from 2001:db8:2::10/128 table 7803 priority 7803",
                "ip -4 route add 0.0.0.0/0 dev mp0 table 7800",
                "ip -4 rule add table main suppress_prefixlength 0 priority 8800",
                "ip -4 rule add table 7800 priority 8801");
        assertExactInverse(plan);
    }

    @Test
    void parsesRouteGetOutput() throws Exception {
        assertThat(HostProbe.parseRouteGet("198.51.100.7 from 10.0.1.1 via 10.0.1.254 dev eth1 uid 0 \n    cache \n",
                Optional.of("eth1"))).contains(new LinkRoute(Optional.of(InetAddress.getByName("10.0.1.254")), "eth1",
                Optional.of("eth1")));
        assertThat(HostProbe.parseRouteGet("2001:db8:ff::7 from 2001:db8:2::10 dev wwan0 proto kernel src"
                + " 2001:db8:2::10 metric 256 pref medium\n", Optional.empty()))
                .contains(new LinkRoute(Optional.empty(), "wwan0", Optional.empty()));
        assertThat(HostProbe.parseRouteGet("", Optional.empty())).isEmpty();
    }

    /**
     * Every undo is its step's command with the verb reversed (add/del, create/delete, =1/=0), steps without undo are
     * inside something an undo removes, and down runs the undos in exactly the reverse order.
     */
    static void assertExactInverse(RoutingPlan plan) {
        List<HostCommand> expectedDown = new ArrayList<>();
        for (RoutingStep step : plan.steps()) {
            String apply = step.apply().toString();
            if (step.undo().isEmpty()) {
                assertThat(apply).matches("ip link set dev \\S+ mtu \\d+ up|nft create chain .*|nft add rule .*");
                continue;
            }
            String expected = apply.replaceFirst(" add ", " del ").replaceFirst("^nft create table", "nft delete table")
                    .replaceFirst("(?<!accept_ra)=1$", "=0").replaceFirst("accept_ra=2$", "accept_ra=1")
                    .replace(" nodad", "");
            assertThat(step.undo().get().toString()).as("undo of " + apply).isEqualTo(expected);
            expectedDown.add(0, step.undo().get());
        }
        assertThat(plan.downCommands()).isEqualTo(expectedDown);
    }
}
