package dev.multipath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.examples.control.ControlServer;
import dev.multipath.examples.control.PeerPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int status(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        return PortalMain.execute(new PrintWriter(out), new PrintWriter(err), all);
    }

    @Test
    void printsWhatThePortalAnswers() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        try (ControlServer server = ControlServer.start(socket, request -> "answer to " + request + "\n",
                PeerPolicy.rootOrSelf(), 2000)) {
            assertThat(status("--socket", socket.toString())).isZero();
            assertThat(out.toString()).isEqualTo("answer to status\n");
            assertThat(status("--socket", socket.toString(), "--json")).isZero();
            assertThat(out.toString()).endsWith("answer to status json\n");
        }
    }

    @Test
    void clearErrorWhenNoPortalRuns() {
        assertThat(status("--socket", dir.resolve("mp9.sock").toString())).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(err.toString()).isEqualTo("portal: no portal running at " + dir.resolve("mp9.sock")
                + " (no such socket)\n");
    }

    @Test
    void permissionDeniedByThePortalExits3() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        try (ControlServer server = ControlServer.start(socket, request -> "secret\n", peer -> false, 2000)) {
            assertThat(status("--socket", socket.toString())).isEqualTo(ExitCodes.NO_PRIVILEGE_OR_TUN);
            assertThat(err.toString()).startsWith("portal: portal at " + socket + " refused this user: permission"
                    + " denied").doesNotContain("secret");
        }
    }

    @Test
    void configNamesTheSocket() throws Exception {
        Path socket = dir.resolve("custom.sock");
        Path config = Files.writeString(dir.resolve("p.toml"), "[portal]\nrole = \"remote\"\ntun = \"mp7\"\n"
                + "listen = \"0.0.0.0:4789\"\nmode = \"none\"\ncontrol_socket = \"" + socket + "\"\n");
        assertThat(status("-c", config.toString())).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(err.toString()).contains("no portal running at " + socket);
        assertThat(status("-c", config.toString(), "--socket", "x")).isEqualTo(ExitCodes.BAD_USAGE_OR_CONFIG);
    }
}
