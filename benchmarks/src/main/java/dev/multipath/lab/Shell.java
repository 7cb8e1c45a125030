package dev.multipath.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs short system commands ({@code ip}, {@code tc}, {@code nft}, {@code sysctl}) and waits for them.
 * Thread-safe (no state). Every call is bounded by a timeout so a hung command cannot hang the lab.
 */
public final class Shell {
    private static final long TIMEOUT_SECONDS = 30;

    private Shell() {
    }

    /** Result of a finished command. */
    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the command and returns its output; throws {@link LabException} with stderr if it exits non-zero. */
    public static String run(String... command) {
        Result r = exec(Arrays.asList(command));
        if (!r.ok()) {
            throw new LabException("command failed (" + r.exitCode() + "): " + String.join(" ", command) + ": "
                    + r.stderr().strip());
        }
        return r.stdout();
    }

    /** Runs the command inside network namespace {@code ns}; throws on failure like {@link #run}. */
    public static String runIn(String ns, String... command) {
        return run(inNamespace(ns, command).toArray(String[]::new));
    }

    /** Runs the command and returns its result whatever the exit code (for best-effort cleanup and probes). */
    public static Result tryRun(String... command) {
        return exec(Arrays.asList(command));
    }

    /** The command line prefixed with {@code ip netns exec ns}, which execs so the started PID is the program's. */
    public static List<String> inNamespace(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(Arrays.asList(command));
        return full;
    }

    private static Result exec(List<String> command) {
        Path out = null;
        Path err = null;
        try {
            // Output goes to files, not pipes, so a command that hangs cannot also block us on a full pipe: the
            // timeout below always applies.
            out = Files.createTempFile("mpl-out", ".txt");
            err = Files.createTempFile("mpl-err", ".txt");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LabException("command timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LabException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
