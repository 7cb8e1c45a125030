package dev.multipath.transport.rawip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import jnr.ffi.LibraryLoader;
import org.junit.jupiter.api.Assumptions;

/**
 * Test lab: two network namespaces joined by a veth pair, and a way to run code "inside" one of them.
 *
 * <p>Why this set-up rather than loopback: on loopback an IPv6 raw socket bound to ::1 also receives what it sends to
 * ::1 itself, and there is only one IPv6 loopback address, so the two ends cannot be told apart. Why not a helper JVM
 * started with {@code ip netns exec}: slow and complex. Instead a fresh platform thread calls setns(2) (which moves
 * only the calling thread) and starts the transport there: its raw socket is created in that namespace and stays in
 * it, whichever thread later reads or writes the descriptor. So one test JVM drives both ends over a real veth
 * wire, IPv4 and IPv6, with nothing leaving the two namespaces.
 */
final class Netns {

    /** libc calls only the tests need. */
    public interface Calls {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private static final Calls C = LibraryLoader.create(Calls.class).load("c");
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private Netns() {
    }

    /** Fails (CI=true) or skips loudly unless the test runs as root with `ip` available. */
    static void requireRoot() {
        String why = null;
        if (!isUidZero()) {
            why = "not root";
        } else if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
            why = "no ip command";
        }
        if (why == null) {
            return;
        }
        String msg = "raw IP tests need root, network namespaces and iproute2: " + why;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(msg + " (CI=true: failing instead of skipping)");
        }
        System.err.println("!!!!! SKIPPING " + msg + " !!!!!");
        Assumptions.abort(msg);
    }

    private static boolean isUidZero() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs `ip ARGS...`; throws with its output if it fails. */
    static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Runs `ip ARGS...` ignoring failure (clean-up). */
    static void ipQuietly(String... args) {
        try {
            ip(args);
        } catch (IOException | InterruptedException e) {
            // Already gone.
        }
    }

    /** Runs {@code body} on a new platform thread that has first entered namespace {@code ns}. */
    static <T> T in(String ns, Callable<T> body) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int fd = C.open("/var/run/netns/" + ns, O_RDONLY_CLOEXEC);
                if (fd < 0) {
                    throw new IOException("cannot open namespace " + ns);
                }
                try {
                    if (C.setns(fd, CLONE_NEWNET) != 0) {
                        throw new IOException("setns into " + ns + " failed");
                    }
                } finally {
                    C.close(fd);
                }
                result.set(new Object[] {body.call()});
            } catch (Throwable e) {
                result.set(e);
            }
        }, "mpr-netns-" + ns);
        t.start();
        t.join();
        Object r = result.get();
        if (r instanceof Exception) {
            throw (Exception) r;
        }
        if (r instanceof Throwable) {
            throw new AssertionError((Throwable) r);
        }
        @SuppressWarnings("unchecked")
        T value = (T) ((Object[]) r)[0];
        return value;
    }
}
