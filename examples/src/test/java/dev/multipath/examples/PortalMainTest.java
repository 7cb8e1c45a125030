package dev.multipath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: exit codes and what goes to stdout and stderr. */
class PortalMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int portal(String... args) {
        return PortalMain.execute(new PrintWriter(out), new PrintWriter(err), args);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        assertThat(portal("--help")).isEqualTo(0);
        assertThat(out.toString()).contains("run", "check", "--version", "--verbose", "Exit codes:",
                "0   ok", "1   runtime failure", "2   bad usage or bad config file", "3   missing privilege or TUN");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void runHelpListsExitCodesToo() {
        assertThat(portal("run", "--help")).isEqualTo(0);
        assertThat(out.toString()).contains("-c, --config=FILE", "Exit codes:", "SIGTERM");
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        assertThat(portal("--version")).isEqualTo(0);
        assertThat(out.toString()).startsWith("portal 0.").doesNotContain("unknown").doesNotContain("${");
    }

    @Test
    void checkPrintsTheResolvedConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local.toml");
        Files.writeString(file, dev.multipath.examples.config.SampleConfigs.LOCAL);

        assertThat(portal("check", "-c", file.toString())).isEqualTo(0);
        assertThat(out.toString()).startsWith("# " + file + ": OK (local portal, 2 paths)\n[portal]\n")
                .contains("mtu = 1422\n", "[[path]]\nname = \"lte\"\n", "metric = 10\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkOfABadConfigExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, dev.multipath.examples.config.SampleConfigs.LOCAL
                .replace("\"10.0.1.2:4789\"", "\"10.0.0.1\""));

        assertThat(portal("check", "-c", file.toString())).isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
        assertThat(err.toString()).isEqualTo("portal: " + file
                + ": path[1].remote: expected host:port with an IP address (host names are not resolved; IPv6 as"
                + " [address]:port), got '10.0.0.1'" + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runOfABadConfigExitsTwoBeforeTouchingAnything(@TempDir Path dir) {
        assertThat(portal("run", "-c", dir.resolve("nope.toml").toString()))
                .isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
        assertThat(err.toString()).startsWith("portal: ").contains("config file not found").doesNotContain("\tat ");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(portal("run")).isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
        assertThat(err.toString()).contains("Missing required option: '--config=FILE'", "portal run --help");

        assertThat(portal("--frobnicate")).isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
        assertThat(portal()).isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
        assertThat(err.toString()).contains("Usage: portal");
    }

    @Test
    void theExampleConfigsAreValid() {
        // Surefire runs in the module directory.
        assertThat(portal("check", "-c", "config/local.toml")).as(err.toString()).isEqualTo(0);
        assertThat(portal("check", "-c", "config/remote.toml")).as(err.toString()).isEqualTo(0);
        assertThat(portal("check", "-c", "config/remote-single-interface.toml")).as(err.toString()).isEqualTo(0);
        assertThat(out.toString()).contains("OK (local portal", "OK (remote portal");
    }
}
