package dev.multipath.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multipath.examples.PortalMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces, portal processes and iperf3 for the end-to-end routing tests: everything created is named
 * with the test's prefix, every process is one this object started (and destroys in {@link #close}), and
 * {@link #close} deletes every namespace it added. Not thread-safe: one per test.
 */
final class PortalNetns implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MILLIS = 30_000;

    private final Path dir;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> started = new ArrayList<>();

    PortalNetns(Path dir) {
        this.dir = dir;
    }

    /**
     * Fails (CI=true) or skips the test unless it runs as root with TUN, nft, iperf3 and the other tools named (each
     * must answer {@code --version}). Call first.
     */
    static void requireRootNftAndIperf3(String test, String... moreTools) throws Exception {
        String why = Files.exists(Path.of("/dev/net/tun")) ? null : "no /dev/net/tun";
        if (why == null && !"0".equals(output("id", "-u").strip())) {
            why = "not root";
        }
        if (why == null && output("nft", "--version").isBlank()) {
            why = "no nft";
        }
        if (why == null && !output("iperf3", "--version").contains("iperf")) {
            why = "no iperf3";
        }
        for (String tool : moreTools) {
            if (why == null && output(tool, "--version").isBlank()) {
                why = "no " + tool;
            }
        }
        if (why != null) {
            String message = test + " needs root, network namespaces, nft, iperf3"
                    + (moreTools.length > 0 ? ", " + String.join(", ", moreTools) : "") + ": " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.assumeTrue(false, message);
        }
    }

    /** Adds a namespace with loopback up and no IPv6 duplicate address detection. */
    void namespace(String ns) throws Exception {
        sh("ip netns add " + ns);
        namespaces.add(ns);
        sh("ip -n " + ns + " link set lo up");
        // No DAD: addresses would stay "tentative" (unusable) for a second or more, and change state during a test.
        sh("ip netns exec " + ns + " sysctl -q -w net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0");
    }

    /** A veth pair between two namespaces, with space-separated addresses on each end (either may be empty). */
    void veth(String nsA, String a, String addressesA, String nsB, String b, String addressesB) throws Exception {
        sh("ip link add " + a + " netns " + nsA + " type veth peer name " + b + " netns " + nsB);
        addresses(nsA, a, addressesA);
        addresses(nsB, b, addressesB);
        sh("ip -n " + nsA + " link set " + a + " up");
        sh("ip -n " + nsB + " link set " + b + " up");
    }

    void addresses(String ns, String device, String addresses) throws Exception {
        for (String address : addresses.split(" ")) {
            if (!address.isEmpty()) {
                sh("ip -n " + ns + " addr add " + address + " dev " + device + (address.contains(":") ? " nodad" : ""));
            }
        }
    }

    /** Runs {@code portal ARGS} in a namespace, in a fresh JVM with this test's class path; output to a log. */
    Process portal(String ns, String logName, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), PortalMain.class.getName()));
        command.addAll(List.of(args));
        return start(command, dir.resolve(logName));
    }

    /** An iperf3 server in {@code ns} on {@code port}, once it listens. */
    Process iperf3Server(String ns, int port) throws Exception {
        Process server = start(List.of("ip", "netns", "exec", ns, "iperf3", "-s", "-p", Integer.toString(port)),
                dir.resolve("iperf3-server-" + ns + "-" + port + ".log"));
        waitUntil(() -> output("ip", "netns", "exec", ns, "ss", "-Hltn", "sport = :" + port).contains(":" + port),
                "iperf3 listening in " + ns);
        return server;
    }

    /**
     * One iperf3 TCP flow from {@code ns} to {@code server} (IPv4 or IPv6 literal), {@code seconds} long; the client's
     * JSON, which holds the server's output ({@code server_output_text}, with "Accepted connection from PEER").
     */
    JsonNode iperf3(String ns, String server, int port, int seconds, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns, "iperf3", "-c", server, "-p",
                Integer.toString(port), "-t", Integer.toString(seconds), "-J", "--get-server-output",
                "--connect-timeout", "5000"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(seconds + 20L, TimeUnit.SECONDS)).as("iperf3 finishes").isTrue();
        assertThat(p.exitValue()).as("iperf3 -c " + server + ":\n" + out).isZero();
        return JSON.readTree(out);
    }

    /**
     * A flow that delivers: up to three iperf3 runs of {@code seconds} until one reports at least {@code minBytes}
     * received; fails listing every attempt. A shared CI machine can starve the portals for seconds (both paths
     * then time out and are re-admitted); a retry tells that from a tunnel that does not carry.
     */
    JsonNode iperf3Delivering(String ns, String server, int port, int seconds, long minBytes, String... extra)
            throws Exception {
        StringBuilder attempts = new StringBuilder();
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode result = iperf3(ns, server, port, seconds, extra);
            long bytes = result.at("/end/sum_received/bytes").asLong();
            if (bytes >= minBytes) {
                return result;
            }
            attempts.append(" attempt ").append(attempt).append(": ").append(bytes).append(" bytes;");
        }
        throw new AssertionError("iperf3 to " + server + " delivered less than " + minBytes + " bytes:" + attempts);
    }

    /** Ping from {@code ns} ({@code "-4"} or {@code "-6"}): up to three rounds of 5 until one gets a reply. */
    static boolean pings(String ns, String family, String destination) throws Exception {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (exitCode("ip", "netns", "exec", ns, "ping", family, "-c", "5", "-i", "0.2", "-W", "2",
                    destination) == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code portal status --json} through a control socket. */
    static JsonNode status(Path socket) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PortalMain.execute(new PrintWriter(out), new PrintWriter(err), "status", "--socket",
                socket.toString(), "--json");
        if (code != 0) {
            throw new AssertionError("portal status exited " + code + ": " + err);
        }
        return JSON.readTree(out.toString());
    }

    /** The path called {@code name} in a status document. */
    static JsonNode path(JsonNode status, String name) {
        for (JsonNode path : status.get("paths")) {
            if (path.get("name").asText().equals(name)) {
                return path;
            }
        }
        throw new AssertionError("no path " + name + " in " + status);
    }

    /** The packets and bytes of the nft counter carrying {@code comment "NAME"} in a listing. */
    static long[] counter(String listing, String name) {
        Matcher m = Pattern.compile("counter packets (\\d+) bytes (\\d+) comment \"" + Pattern.quote(name) + "\"")
                .matcher(listing);
        if (!m.find()) {
            throw new AssertionError("no counter " + name + " in:\n" + listing);
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    void waitForLine(Process process, String logName, String text) throws Exception {
        Path log = dir.resolve(logName);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("exited " + process.exitValue() + " before '" + text + "':\n" + content);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 30 s:\n" + Files.readString(log));
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 100 ms for up to 30 s; a condition that throws does not hold yet. */
    static void waitUntil(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what + (last != null ? " (last error: " + last + ")" : ""));
    }

    /** SIGTERM, then it must exit 0 within 20 s. */
    static void stop(Process portal) throws Exception {
        portal.destroy();
        assertThat(portal.waitFor(20, TimeUnit.SECONDS)).as("stops within 20 s of SIGTERM").isTrue();
        assertThat(portal.exitValue()).isZero();
    }

    /**
     * For a failure message: both portals' {@code status --json} (or why it failed) and the logs this object wrote
     * (portals, iperf3), each under a heading.
     */
    String diagnostics(Path... sockets) {
        StringBuilder b = new StringBuilder();
        for (Path socket : sockets) {
            b.append("--- status of ").append(socket).append(":\n");
            try {
                b.append(status(socket).toPrettyString()).append('\n');
            } catch (IOException | RuntimeException | AssertionError e) {
                b.append(e).append('\n');
            }
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                b.append("--- ").append(f.getFileName()).append(":\n").append(Files.readString(f));
            }
        } catch (IOException e) {
            b.append("(logs: ").append(e).append(")\n");
        }
        return b.toString();
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    String log(String name) throws IOException {
        Path log = dir.resolve(name);
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private Process start(List<String> command, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    /** Equal snapshots; the message lists only the lines that differ. */
    static void assertSameState(String before, String after) {
        List<String> added = new ArrayList<>(after.lines().toList());
        added.removeAll(before.lines().toList());
        List<String> removed = new ArrayList<>(before.lines().toList());
        removed.removeAll(after.lines().toList());
        assertThat(after).as("added: " + added + "\nremoved: " + removed).isEqualTo(before);
    }

    /** Everything a portal's routing may touch in a namespace (as RoutingNetnsTest takes it, and accept_ra). */
    static String snapshot(String ns) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String[] command : new String[][] {{"ip", "-4", "rule"}, {"ip", "-6", "rule"},
                {"ip", "-4", "route", "show", "table", "all"}, {"ip", "-6", "route", "show", "table", "all"},
                {"ip", "-4", "-o", "address"}, {"ip", "-6", "-o", "address"}, {"ip", "-o", "link", "show"},
                {"nft", "list", "ruleset"}, {"sysctl", "net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"},
                {"sysctl", "-a", "--pattern", "accept_ra$"}}) {
            List<String> inNs = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            inNs.addAll(List.of(command));
            String text = output(inNs.toArray(String[]::new));
            // The kernel adds the host route of a link-local address when that address becomes usable (timing that
            // forwarding on/off changes); the plan never adds link-local routes of its own.
            text = text.replaceAll("(?m)^local fe80:\\S* dev .*\n", "");
            // A route learned from a router advertisement counts down its lifetime.
            text = text.replaceAll(" expires \\d+sec", "");
            if (command[command.length - 1].equals("show")) {
                // Link state counters and neighbour-driven flags change with traffic; keep only names.
                text = text.replaceAll("(?m)^\\d+: (\\S+):.*$", "$1");
            }
            all.append("$ ").append(String.join(" ", command)).append('\n').append(text.replaceAll(
                    "valid_lft \\S+ preferred_lft \\S+", "").replace(" tentative", "")).append('\n');
        }
        return all.toString();
    }

    static void sh(String command) throws Exception {
        Process p = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed: " + out);
        }
    }

    /** Runs a command given as separate words (for arguments with spaces, such as nft rules). */
    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Exit code of a command whose output goes to the test's output. */
    static int exitCode(String... command) throws Exception {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The command's output and error text; empty if it cannot be started (not installed). */
    static String output(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** Destroys every process started here, then deletes every namespace added here. */
    @Override
    public void close() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces) {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
        }
    }
}
