package dev.multipath.lab;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests tagged {@code netns}: they need root, {@code ip netns}, /dev/net/tun and iperf3. When these are
 * missing the test is skipped with a loud message, except under {@code CI=true}, where it fails.
 */
public final class NetnsSupport {
    private NetnsSupport() {
    }

    /** Call first in every netns test (or in {@code @BeforeAll}). */
    public static void require() {
        String missing = missing();
        if (missing == null) {
            return;
        }
        String msg = "NETNS TESTS NOT RUN: " + missing + " (run as root on Linux with iproute2, tc, nft, iperf3, gcc)";
        System.err.println("*** " + msg + " ***");
        if ("true".equals(System.getenv("CI"))) {
            fail(msg + "; CI=true, so this is a failure");
        }
        Assumptions.assumeTrue(false, msg);
    }

    private static String missing() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not root";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "no /dev/net/tun";
        }
        for (String tool : new String[] {"ip", "tc", "nft", "iperf3", "gcc", "ping", "ss"}) {
            if (!Shell.tryRun("sh", "-c", "command -v " + tool).ok()) {
                return "no " + tool;
            }
        }
        return null;
    }
}
