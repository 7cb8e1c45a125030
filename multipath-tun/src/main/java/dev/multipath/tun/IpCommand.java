package dev.multipath.tun;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs iproute2's {@code ip} for the configuration that netlink does better than ioctls. Setup time only. */
final class IpCommand {
    private static final String[] LOCATIONS = {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"};
    private static final long TIMEOUT_SECONDS = 10;

    private IpCommand() {
    }

    static void run(String what, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary());
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot " + what + ": cannot run 'ip' (install iproute2): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("cannot " + what + ": 'ip' did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()
                    .replace('\n', ' ');
            if (p.exitValue() != 0) {
                throw new IOException("cannot " + what + ": " + (out.isEmpty() ? "ip exited " + p.exitValue() : out));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("cannot " + what + ": interrupted", e);
        }
    }

    private static String binary() {
        for (String s : LOCATIONS) {
            if (new File(s).canExecute()) {
                return s;
            }
        }
        return "ip";
    }
}
