package dev.multipath.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.examples.PortalMain;
import dev.multipath.examples.config.SampleConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing done by the tool, end to end in four namespaces:
 * <pre>
 * client --- local portal ==IPv4 path (tcp)== remote portal --- server
 *                         ==IPv6 path (udp)==
 * </pre>
 * Both portals run with {@code routing = "auto"}: the client's ping and ping -6 cross the tunnel (the client's default
 * routes go into the TUN by policy routing, the paths keep their own links), the server sees the remote portal's
 * address (NAT: it has no route back to the client), and after SIGTERM no rule, route, address, nft table or sysctl
 * the portals changed remains. Also {@code portal up}/{@code down} without a running portal. Needs root.
 */
@Tag("netns")
class RoutingNetnsTest {

    private final String id = "mpw" + ProcessHandle.current().pid() % 10000;
    private final String client = id + "-c";
    private final String local = id + "-l";
    private final String remote = id + "-r";
    private final String server = id + "-s";
    private final List<Process> started = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void setUp() throws Exception {
        String why = Files.exists(Path.of("/dev/net/tun")) ? null : "no /dev/net/tun";
        if (why == null && !"0".equals(output("id", "-u").strip())) {
            why = "not root";
        }
        if (why == null && output("nft", "--version").isBlank()) {
            why = "no nft";
        }
        if (why != null) {
            String message = "RoutingNetnsTest needs root, network namespaces and nft: " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.assumeTrue(false, message);
        }
        for (String ns : List.of(client, local, remote, server)) {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link set lo up");
            // No IPv6 duplicate address detection: link-local addresses would change state during the test.
            sh("ip netns exec " + ns + " sysctl -q -w net.ipv6.conf.default.accept_dad=0");
        }
        veth(client, id + "c0", "10.61.0.2/24 fd61::2/64", local, id + "c1", "10.61.0.1/24 fd61::1/64");
        veth(local, id + "a0", "10.71.1.1/24", remote, id + "a1", "10.71.1.2/24");
        veth(local, id + "b0", "fd71:2::1/64", remote, id + "b1", "fd71:2::2/64");
        veth(remote, id + "s1", "10.62.0.1/24 fd62::1/64", server, id + "s0", "10.62.0.2/24 fd62::2/64");
        sh("ip -n " + client + " route add default via 10.61.0.1");
        sh("ip -n " + client + " -6 route add default via fd61::1");
        // The remote portal's internet side: NAT's public interface is found from this default route.
        sh("ip -n " + remote + " route add default via 10.62.0.2");
        sh("ip -n " + remote + " -6 route add default via fd62::2");
        // Count the echo requests the server receives from the remote portal's address.
        sh("ip netns exec " + server + " nft add table inet " + id + "count");
        sh("ip netns exec " + server + " nft add chain inet " + id + "count in { type filter hook input priority 0 ; }");
        sh("ip netns exec " + server + " nft add rule inet " + id + "count in ip saddr 10.62.0.1 icmp type echo-request counter");
        sh("ip netns exec " + server + " nft add rule inet " + id + "count in ip6 saddr fd62::1 icmpv6 type echo-request counter");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : List.of(client, local, remote, server)) {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
        }
    }

    @Test
    void autoRoutingCarriesIpv4AndIpv6ThroughNatAndLeavesNothingBehind() throws Exception {
        String localBefore = snapshot(local);
        String remoteBefore = snapshot(remote);
        Path remoteConfig = write("remote.toml", "[portal]\nrole = \"remote\"\ntun = \"" + id + "t1\"\n"
                + "address = [\"172.31.90.1/30\", \"fd90::1/64\"]\nlisten = \"[::]:4789\"\n"
                + "routing = \"auto\"\nroutes = [\"10.61.0.0/24\", \"fd61::/64\"]\nnat = true\n"
                + "control_socket = \"" + dir.resolve("r/remote.sock") + "\"\n"
                + "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"\n");
        Path localConfig = write("local.toml", localConfigText());

        Process remotePortal = portal(remote, "remote.log", "run", "-c", remoteConfig.toString());
        waitForLine(remotePortal, dir.resolve("remote.log"), "portal up: remote portal");
        Process localPortal = portal(local, "local.log", "run", "-c", localConfig.toString());
        waitForLine(localPortal, dir.resolve("local.log"), "path a up");
        waitForLine(localPortal, dir.resolve("local.log"), "path b up");
        waitForLine(localPortal, dir.resolve("local.log"), "routing up");
        assertThat(Files.readString(dir.resolve("remote.log"))).contains("routing up",
                "nft add rule inet portal_" + id + "t1 postrouting iifname " + id + "t1 oifname " + id + "s1 masquerade");
        assertThat(output("ip", "-n", local, "rule")).as(Files.readString(dir.resolve("local.log"))).contains("from 10.71.1.1 lookup 7801",
                "lookup main suppress_prefixlength 0", "lookup 7800");

        assertThat(run("ip", "netns", "exec", client, "ping", "-c", "5", "-i", "0.2", "-W", "2", "10.62.0.2"))
                .as("IPv4 ping from the client to the server through the tunnel").isZero();
        assertThat(run("ip", "netns", "exec", client, "ping", "-6", "-c", "5", "-i", "0.2", "-W", "2", "fd62::2"))
                .as("IPv6 ping from the client to the server through the tunnel").isZero();
        String counters = output("ip", "netns", "exec", server, "nft", "list", "table", "inet", id + "count");
        assertThat(counters).as("the server sees the remote portal's addresses")
                .containsPattern("ip saddr 10\\.62\\.0\\.1 icmp type echo-request counter packets ([3-9]|\\d\\d)")
                .containsPattern("ip6 saddr fd62::1 icmpv6 type echo-request counter packets ([3-9]|\\d\\d)");

        for (Process p : List.of(localPortal, remotePortal)) {
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stops within 20 s of SIGTERM").isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(Files.readString(dir.resolve("local.log"))).contains("routing removed\n");
        assertThat(Files.readString(dir.resolve("remote.log"))).contains("routing removed\n");
        assertSameState(localBefore, snapshot(local));
        assertSameState(remoteBefore, snapshot(remote));
        assertThat(dir.resolve("l/" + id + "t0.routing")).doesNotExist();
    }

    @Test
    void upThenDownRemovesExactlyWhatUpAdded() throws Exception {
        Path localConfig = write("local.toml", localConfigText().replace("routing = \"auto\"\n", ""));
        String before = snapshot(local);

        Process dry = portal(local, "dry.log", "up", "-c", localConfig.toString(), "--dry-run");
        assertThat(dry.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String dryRun = Files.readString(dir.resolve("dry.log"));
        assertThat(dry.exitValue()).as(dryRun).isZero();
        assertThat(dryRun).contains("# path a: dev " + id + "a0 (found: ip route get 10.71.1.2 from 10.71.1.1)",
                "ip tuntap add dev " + id + "t0 mode tun", "ip -6 rule add from fd71:2::1/128 table 7802 priority 7802",
                "#   ip tuntap del dev " + id + "t0 mode tun");
        assertSameState(before, snapshot(local)); // a dry run changes nothing

        Process up = portal(local, "up.log", "up", "-c", localConfig.toString());
        assertThat(up.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(up.exitValue()).as(Files.readString(dir.resolve("up.log"))).isZero();
        assertThat(output("ip", "-n", local, "-6", "route", "show", "table", "7800")).contains("default dev " + id + "t0");
        assertThat(output("ip", "-n", local, "addr", "show", id + "t0")).contains("172.31.90.2/30", "fd90::2/64");

        Process again = portal(local, "again.log", "up", "-c", localConfig.toString());
        assertThat(again.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(again.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("again.log"))).contains("routing is already up");

        Process down = portal(local, "down.log", "down", "-c", localConfig.toString());
        assertThat(down.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).as(Files.readString(dir.resolve("down.log"))).isZero();
        assertSameState(before, snapshot(local));
    }

    private String localConfigText() {
        return "[portal]\nrole = \"local\"\ntun = \"" + id + "t0\"\n"
                + "address = [\"172.31.90.2/30\", \"fd90::2/64\"]\n"
                + "routing = \"auto\"\nroutes = [\"0.0.0.0/0\", \"::/0\"]\n"
                + "control_socket = \"" + dir.resolve("l/local.sock") + "\"\n"
                + "private_key = \"" + SampleConfigs.LOCAL_PRIVATE + "\"\n"
                + "[peer]\npublic_key = \"" + SampleConfigs.REMOTE_PUBLIC + "\"\n"
                + "\n[[path]]\nname = \"a\"\ntransport = \"tcp\"\nlocal = \"10.71.1.1\"\nremote = \"10.71.1.2:4789\"\n"
                + "\n[[path]]\nname = \"b\"\ntransport = \"udp\"\nlocal = \"fd71:2::1\"\nremote = \"[fd71:2::2]:4789\"\n";
    }

    /** Equal snapshots; the message lists only the lines that differ. */
    private static void assertSameState(String before, String after) {
        List<String> added = new ArrayList<>(after.lines().toList());
        added.removeAll(before.lines().toList());
        List<String> removed = new ArrayList<>(before.lines().toList());
        removed.removeAll(after.lines().toList());
        assertThat(after).as("added: " + added + "\nremoved: " + removed).isEqualTo(before);
    }

    /** Everything a portal's routing may touch in a namespace. */
    private static String snapshot(String ns) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String[] command : new String[][] {{"ip", "-4", "rule"}, {"ip", "-6", "rule"},
                {"ip", "-4", "route", "show", "table", "all"}, {"ip", "-6", "route", "show", "table", "all"},
                {"ip", "-4", "-o", "address"}, {"ip", "-6", "-o", "address"}, {"ip", "-o", "link", "show"},
                {"nft", "list", "ruleset"}, {"sysctl", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"}}) {
            List<String> inNs = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            inNs.addAll(List.of(command));
            // Link state counters and neighbour-driven flags change with traffic; keep only names.
            String text = output(inNs.toArray(String[]::new));
            // The kernel adds the host route of a link-local address when that address becomes usable (timing that
            // forwarding on/off changes); the plan never adds link-local routes of its own.
            text = text.replaceAll("(?m)^local fe80:\\S* dev .*\n", "");
            if (command[command.length - 1].equals("show")) {
                text = text.replaceAll("(?m)^\\d+: (\\S+):.*$", "$1");
            }
            all.append("$ ").append(String.join(" ", command)).append('\n').append(text.replaceAll(
                    "valid_lft \\S+ preferred_lft \\S+", "").replace(" tentative", "")).append('\n');
        }
        return all.toString();
    }

    private void veth(String nsA, String a, String addressesA, String nsB, String b, String addressesB)
            throws Exception {
        sh("ip link add " + a + " netns " + nsA + " type veth peer name " + b + " netns " + nsB);
        for (String address : addressesA.split(" ")) {
            sh("ip -n " + nsA + " addr add " + address + " dev " + a + (address.contains(":") ? " nodad" : ""));
        }
        for (String address : addressesB.split(" ")) {
            sh("ip -n " + nsB + " addr add " + address + " dev " + b + (address.contains(":") ? " nodad" : ""));
        }
        sh("ip -n " + nsA + " link set " + a + " up");
        sh("ip -n " + nsB + " link set " + b + " up");
    }

    private Process portal(String namespace, String logName, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), PortalMain.class.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve(logName);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        logs.add(log);
        return process;
    }

    private static void waitForLine(Process process, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("portal exited " + process.exitValue() + " before '" + text + "':\n" + content);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 30 s:\n" + Files.readString(log));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static void sh(String command) throws Exception {
        Process p = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed: " + out);
        }
    }

    private static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
