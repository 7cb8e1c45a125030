package dev.multipath.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficConfigTest {

    private static String withPortalKey(String line) {
        return SampleConfigs.LOCAL.replaceFirst("\\[portal\\]\n", "[portal]\n" + line + "\n");
    }

    @Test
    void defaultsAreBbrAndNothingRedundant() throws Exception {
        PortalConfig c = PortalConfig.parse(SampleConfigs.LOCAL);
        assertThat(c.traffic().congestionControl()).isEqualTo("bbr");
        assertThat(c.traffic().redundant()).isFalse();
        assertThat(c.paths()).noneMatch(PathConfig::overflow);
    }

    @Test
    void readsControllerRedundantTrafficAndOverflow() throws Exception {
        String text = withPortalKey("congestion_control = \"cubic\"\nscheduler = \"weighted-round-robin\"")
                .replace("metric = 10", "metric = 10\noverflow = true")
                + "\n[redundant]\nprotocols = [\"icmp\", 47]\nports = [5060, 4569]\ndscp = [46]\n";
        PortalConfig c = PortalConfig.parse(text);
        assertThat(c.traffic().congestionControl()).isEqualTo("cubic");
        assertThat(c.scheduler()).isEqualTo("weighted-round-robin");
        assertThat(c.traffic().redundantProtocols()).isEqualTo(Set.of(1, 47));
        assertThat(c.traffic().redundantPorts()).isEqualTo(Set.of(5060, 4569));
        assertThat(c.traffic().redundantDscp()).isEqualTo(Set.of(46));
        assertThat(c.paths().get(1).overflow()).isTrue();
        String resolved = ConfigFormatter.toToml(c).replaceFirst("\\[portal\\]\n",
                "[portal]\nprivate_key = \"" + SampleConfigs.LOCAL_PRIVATE + "\"\n");
        assertThat(PortalConfig.parse(resolved)).isEqualTo(c);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> PortalConfig.parse(withPortalKey("congestion_control = \"reno\"")))
                .hasMessageContaining("portal.congestion_control").hasMessageContaining("\"bbr\" or \"cubic\"");
        assertThatThrownBy(() -> PortalConfig.parse(SampleConfigs.LOCAL + "\n[redundant]\nports = [70000]\n"))
                .hasMessageContaining("redundant.ports").hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> PortalConfig.parse(SampleConfigs.LOCAL + "\n[redundant]\nprotocols = [\"xyz\"]\n"))
                .hasMessageContaining("redundant.protocols");
        assertThatThrownBy(() -> PortalConfig.parse(SampleConfigs.LOCAL + "\n[redundant]\nport = [1]\n"))
                .hasMessageContaining("redundant.port");
        assertThatThrownBy(() -> PortalConfig.parse(SampleConfigs.LOCAL.replace("metric = 10", "overflow = 1")))
                .hasMessageContaining("overflow").hasMessageContaining("true or false");
        assertThatThrownBy(() -> PortalConfig.parse(withPortalKey("scheduler = \"fastest\"")))
                .hasMessageContaining("portal.scheduler");
    }
}
