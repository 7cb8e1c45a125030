package dev.multipath.examples.security;

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

/**
 * Shell, process and status helpers of the hostile tests (the same approach as {@code PortalStatusNetnsTest}):
 * portals run as real {@code PortalMain} processes under {@code ip netns exec} with the test's class path, and are
 * asked for {@code status --json} on their control sockets. Kills only the processes it started.
 */
final class MphPortals implements AutoCloseable {

    private final Path dir;
    private final List<Process> started = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();

    MphPortals(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code portal ARGS} in a namespace; stdout and stderr go to {@code dir/logName}. */
    Process portal(String namespace, String logName, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), PortalMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile()).start();
        started.add(process);
        return process;
    }

    void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** {@code portal status --socket SOCKET --json}, parsed. */
    JsonNode status(Path socket) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PortalMain.execute(new PrintWriter(out), new PrintWriter(err), "status", "--socket",
                socket.toString(), "--json");
        if (code != 0) {
            throw new AssertionError("portal status exited " + code + ": " + err);
        }
        return json.readTree(out.toString());
    }

    /** A drop counter from a status document (0 when absent: only non-zero counters are listed). */
    static long drops(JsonNode status, String reason) {
        return status.path("drops").path(reason.toLowerCase(java.util.Locale.ROOT)).asLong(0);
    }

    static long totalDrops(JsonNode status) {
        long sum = 0;
        for (JsonNode n : status.path("drops")) {
            sum += n.asLong();
        }
        return sum;
    }

    /** The only path of a portal's status (the hostile tests use one link). */
    static JsonNode onlyPath(JsonNode status) {
        JsonNode paths = status.get("paths");
        if (paths == null || paths.size() != 1) {
            throw new AssertionError("expected one path: " + status);
        }
        return paths.get(0);
    }

    static void waitForLine(Process process, Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String content = Files.exists(log) ? Files.readString(log) : "";
            if (content.contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("portal exited " + process.exitValue() + " before '" + text + "':\n"
                        + content);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' within 30 s:\n" + Files.readString(log));
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 50 ms; fails after {@code timeoutMillis}. */
    /** A condition that throws (a portal's control socket not bound yet) does not hold yet. */
    private static boolean holdsQuietly(Condition condition) {
        try {
            return condition.holds();
        } catch (Exception | AssertionError e) {
            return false;
        }
    }

    static void waitUntil(Condition condition, long timeoutMillis, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!holdsQuietly(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + timeoutMillis + " ms");
            }
            Thread.sleep(50);
        }
    }

    static void sh(String command) throws Exception {
        Process p = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError(command + " failed: " + out);
        }
    }

    /** Runs {@code nft -f -} in a namespace with {@code script} on stdin. */
    static void nft(String namespace, String script) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", namespace, "nft", "-f", "-").redirectErrorStream(true)
                .start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new AssertionError("nft failed: " + out + "\n" + script);
        }
    }

    static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
