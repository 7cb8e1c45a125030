package dev.multipath.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The long-running processes the lab started (portals, relays, iperf3 servers), each with a log file, so that they can
 * all be stopped by PID on close. Only processes started through this group are ever signalled. Thread-safe.
 */
public final class ProcessGroup implements AutoCloseable {

    /** A started process and the file its stdout and stderr go to. */
    public record Started(String name, Process process, Path log) {
        /** The last {@code maxChars} characters of the log, for error messages. */
        public String logTail(int maxChars) {
            try {
                String s = Files.readString(log);
                return s.length() <= maxChars ? s : "..." + s.substring(s.length() - maxChars);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        public long pid() {
            return process.pid();
        }
    }

    private final List<Started> started = new ArrayList<>();

    /** Starts {@code command} with output to {@code log}; throws {@link LabException} if it cannot be started. */
    public synchronized Started start(String name, List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            Started s = new Started(name, p, log);
            started.add(s);
            return s;
        } catch (IOException e) {
            throw new LabException("cannot start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(),
                    e);
        }
    }

    /** Stops one process: SIGTERM, then SIGKILL after {@code graceMillis}. */
    public static void stop(Started s, long graceMillis) {
        Process p = s.process();
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceMillis, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops every process of the group, most recent first. */
    @Override
    public synchronized void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            stop(started.get(i), 2000);
        }
        started.clear();
    }
}
