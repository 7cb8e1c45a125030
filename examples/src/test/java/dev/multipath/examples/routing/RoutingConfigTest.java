package dev.multipath.examples.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.ConfigFormatter;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.RoutingConfig;
import dev.multipath.examples.config.SampleConfigs;
import org.junit.jupiter.api.Test;

/** The routing keys and the address list in config files. */
class RoutingConfigTest {

    @Test
    void addressMayBeAStringOrAListAndRoutingDefaultsToOff() throws Exception {
        PortalConfig single = PortalConfig.parse(SampleConfigs.LOCAL);
        assertThat(single.addresses()).hasSize(1);
        assertThat(single.routing()).isEqualTo(RoutingConfig.NONE);

        PortalConfig list = PortalConfig.parse(RoutingPlannerTest.LOCAL);
        assertThat(list.addresses()).extracting(Object::toString).containsExactly("172.19.152.2/30", "fd00:19::2/64");
        assertThat(list.address().orElseThrow().toString()).isEqualTo("172.19.152.2/30");
        assertThat(list.routing().routes()).extracting(Object::toString)
                .containsExactly("0.0.0.0/0", "::/0", "10.9.0.0/16");
        assertThat(list.paths().get(2).gateway().orElseThrow().getHostAddress()).startsWith("fe80:");
        assertThat(list.paths().get(2).linkInterface()).contains("wwan0");
    }

    @Test
    void formatterWritesTheRoutingKeysBack() throws Exception {
        for (String[] c : new String[][] {{RoutingPlannerTest.LOCAL, SampleConfigs.LOCAL_PRIVATE},
                {RoutingPlannerTest.REMOTE.replace("nat = true", "nat = true\npublic_interface = \"eth0\"\n"
                        + "routing = \"auto\"\nrouting_table = 400"), SampleConfigs.REMOTE_PRIVATE}}) {
            PortalConfig config = PortalConfig.parse(c[0]);
            String text = ConfigFormatter.toToml(config)
                    .replaceFirst("\\[portal\\]\n", "[portal]\nprivate_key = \"" + c[1] + "\"\n");
            assertThat(PortalConfig.parse(text)).isEqualTo(config);
        }
    }

    @Test
    void badRoutingKeysAreNamed() {
        String base = RoutingPlannerTest.REMOTE;
        assertError(base.replace("nat = true", "nat = \"yes\""), "portal.nat: expected true or false");
        assertError(base.replace("nat = true", "nat = true\nrouting = \"on\""), "portal.routing: expected \"off\" or \"auto\"");
        assertError(base.replace("192.168.7.0/24", "192.168.7.1/24"), "portal.routes: '192.168.7.1/24' has host bits set");
        assertError(base.replace("192.168.7.0/24", "192.168.7.0"), "portal.routes: expected an address with prefix length");
        assertError(base.replace("routes = [\"192.168.7.0/24\", \"fd00:7::/64\"]", "routes = \"10.0.0.0/8\""),
                "portal.routes: expected an array of strings");
        assertError(base.replace("nat = true", "nat = true\npublic_interface = \"a b\""), "portal.public_interface:");
        assertError(base.replace("nat = true", "nat = true\nrouting_table = 254"), "portal.routing_table: expected an integer from 256");
        assertError(base.replace("\"fd00:19::1/64\"", "\"fd00:19::1\""), "portal.address: expected an address with prefix");
        assertError(RoutingPlannerTest.LOCAL.replace("fe80::1", "10.0.0.1"), "path[3].gateway: address family differs");
    }

    private static void assertError(String toml, String message) {
        assertThatThrownBy(() -> PortalConfig.parse(toml)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
    }
}
