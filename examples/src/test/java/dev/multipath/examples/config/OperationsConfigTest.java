package dev.multipath.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OperationsConfigTest {

    private static final String REMOTE = "[portal]\nrole = \"remote\"\ntun = \"mp1\"\nlisten = \"0.0.0.0:4789\"\n"
            + "mode = \"none\"\n";

    @Test
    void defaultsToRunMultipathAndNoMetrics() throws Exception {
        OperationsConfig ops = PortalConfig.parse(REMOTE).operations();
        assertThat(ops.controlSocket()).isEqualTo(Path.of("/run/multipath/mp1.sock"));
        assertThat(ops.metricsListen()).isEmpty();
    }

    @Test
    void readsBothKeysAndFormatsThemBack() throws Exception {
        PortalConfig config = PortalConfig.parse(REMOTE + "control_socket = \"/var/run/p.sock\"\n"
                + "metrics_listen = \"127.0.0.1:9469\"\n");
        assertThat(config.operations().controlSocket()).isEqualTo(Path.of("/var/run/p.sock"));
        assertThat(config.operations().metricsListen()).contains(new InetSocketAddress("127.0.0.1", 9469));
        assertThat(ConfigFormatter.toToml(config)).contains("control_socket = \"/var/run/p.sock\"\n",
                "metrics_listen = \"127.0.0.1:9469\"\n");
        assertThat(PortalConfig.parse(ConfigFormatter.toToml(config)).operations()).isEqualTo(config.operations());
    }

    @Test
    void errorsNameTheKey() {
        assertThatThrownBy(() -> PortalConfig.parse(REMOTE + "control_socket = \"relative.sock\"\n"))
                .hasMessageStartingWith("portal.control_socket: expected an absolute file path");
        assertThatThrownBy(() -> PortalConfig.parse(REMOTE + "control_socket = \"/" + "x".repeat(120) + "\"\n"))
                .hasMessageStartingWith("portal.control_socket: path longer than 107 bytes");
        assertThatThrownBy(() -> PortalConfig.parse(REMOTE + "control_socket = 5\n"))
                .hasMessageStartingWith("portal.control_socket: expected a string");
        assertThatThrownBy(() -> PortalConfig.parse(REMOTE + "metrics_listen = \"localhost:9469\"\n"))
                .hasMessageStartingWith("portal.metrics_listen: expected address:port");
        assertThatThrownBy(() -> PortalConfig.parse(REMOTE + "metrics_listen = \"127.0.0.1:0\"\n"))
                .hasMessageStartingWith("portal.metrics_listen: expected address:port");
    }
}
