package dev.multipath.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.api.Role;
import dev.multipath.auth.AeadImplementation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortalConfigTest {

    private static final String LOCAL = SampleConfigs.LOCAL;
    private static final String REMOTE = SampleConfigs.REMOTE;

    @Test
    void localPortalWithDefaults() throws Exception {
        PortalConfig config = PortalConfig.parse(LOCAL);

        assertThat(config.role()).isEqualTo(Role.LOCAL);
        assertThat(config.tun()).isEqualTo("mp0");
        assertThat(config.address()).contains(new Cidr(InetAddress.getByName("172.19.152.2"), 30));
        // Derived: the TCP path over IPv4 is the narrowest (1500 - 20 IP - 34 TCP with timestamps and prefix - 24).
        assertThat(config.mtu()).isEqualTo(1422);
        assertThat(config.listen()).isEmpty();
        assertThat(config.paths()).containsExactly(
                new PathConfig("dsl", TransportKind.TCP, InetAddress.getByName("10.0.1.1"),
                        new InetSocketAddress(InetAddress.getByName("10.0.1.2"), 4789), 0),
                new PathConfig("lte", TransportKind.UDP, InetAddress.getByName("10.0.2.1"),
                        new InetSocketAddress(InetAddress.getByName("10.0.2.2"), 4789), 10));
    }

    @Test
    void remotePortal() throws Exception {
        PortalConfig config = PortalConfig.parse(REMOTE);

        assertThat(config.role()).isEqualTo(Role.REMOTE);
        assertThat(config.mtu()).isEqualTo(1500);
        assertThat(config.address()).isEmpty();
        assertThat(config.listen()).contains(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 4789));
        assertThat(config.paths()).isEmpty();
    }

    @Test
    void ipv6Addresses() throws Exception {
        PortalConfig config = PortalConfig.parse(LOCAL
                .replace("172.19.152.2/30", "fd00:19::2/64")
                .replace("\"10.0.1.1\"", "\"fd00:1::1\"").replace("\"10.0.1.2:4789\"", "\"[fd00:1::2]:4789\""));

        assertThat(config.address().orElseThrow().toString()).isEqualTo("fd00:19::2/64");
        assertThat(config.paths().get(0).remote())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("fd00:1::2"), 4789));
    }

    @Test
    void formatterOutputParsesBackToTheSameConfig() throws Exception {
        String[][] cases = {{LOCAL, SampleConfigs.LOCAL_PRIVATE}, {REMOTE, SampleConfigs.REMOTE_PRIVATE}};
        for (String[] c : cases) {
            PortalConfig config = PortalConfig.parse(c[0]);
            String resolved = ConfigFormatter.toToml(config);
            // The private key is never printed: put it back to parse the output again.
            assertThat(resolved).doesNotContain(c[1]);
            String withKey = resolved.replaceFirst("\\[portal\\]\n", "[portal]\nprivate_key = \"" + c[1] + "\"\n");
            assertThat(PortalConfig.parse(withKey)).isEqualTo(config);
        }
        assertThat(ConfigFormatter.toToml(PortalConfig.parse(LOCAL)))
                .contains("mtu = 1422\n").contains("metric = 0\n").contains("mtu = 1500\n").contains("remote = \"10.0.1.2:4789\"\n");
    }

    @Test
    void tunOffloadIsOnUnlessTurnedOff() throws Exception {
        assertThat(PortalConfig.parse(LOCAL).tunOffload()).isTrue();
        assertThat(ConfigFormatter.toToml(PortalConfig.parse(LOCAL))).doesNotContain("tun_offload");
        PortalConfig off = PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n", "[portal]\ntun_offload = false\n"));
        assertThat(off.tunOffload()).isFalse();
        assertThat(ConfigFormatter.toToml(off)).contains("tun_offload = false\n");
        assertThatThrownBy(() -> PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n",
                "[portal]\ntun_offload = \"no\"\n")))
                .hasMessageContaining("tun_offload").hasMessageContaining("expected true or false");
    }

    @Test
    void capacitySearchIsOnUnlessTurnedOff() throws Exception {
        assertThat(PortalConfig.parse(LOCAL).traffic().capacitySearch()).isTrue();
        assertThat(ConfigFormatter.toToml(PortalConfig.parse(LOCAL))).doesNotContain("capacity_search");
        PortalConfig off = PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n",
                "[portal]\ncapacity_search = false\n"));
        assertThat(off.traffic().capacitySearch()).isFalse();
        assertThat(ConfigFormatter.toToml(off)).contains("capacity_search = false\n");
        assertThatThrownBy(() -> PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n",
                "[portal]\ncapacity_search = \"yes\"\n")))
                .hasMessageContaining("capacity_search").hasMessageContaining("expected true or false");
    }

    @Test
    void mssClampIsOnUnlessTurnedOff() throws Exception {
        assertThat(PortalConfig.parse(LOCAL).mssClamp()).isTrue();
        assertThat(ConfigFormatter.toToml(PortalConfig.parse(LOCAL))).doesNotContain("mss_clamp");
        PortalConfig off = PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n", "[portal]\nmss_clamp = false\n"));
        assertThat(off.mssClamp()).isFalse();
        assertThat(ConfigFormatter.toToml(off)).contains("mss_clamp = false\n");
        assertThatThrownBy(() -> PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n",
                "[portal]\nmss_clamp = 1\n")))
                .hasMessageContaining("mss_clamp").hasMessageContaining("expected true or false");
    }

    @Test
    void aeadChoosesTheAesGcmImplementation() throws Exception {
        assertThat(PortalConfig.parse(LOCAL).security().aead()).isEqualTo(AeadImplementation.AUTO);
        PortalConfig jce = PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n", "[portal]\naead = \"jce\"\n"));
        assertThat(jce.security().aead()).isEqualTo(AeadImplementation.JCE);
        assertThat(jce.security().authSettings().aead()).isEqualTo(AeadImplementation.JCE);
        assertThat(ConfigFormatter.toToml(jce)).contains("aead = \"jce\"\n");
        assertThatThrownBy(() -> PortalConfig.parse(LOCAL.replaceFirst("\\[portal\\]\n",
                "[portal]\naead = \"boringssl\"\n")))
                .hasMessageContaining("aead").hasMessageContaining("\"auto\", \"jce\" or \"openssl\"");
    }

    @Test
    void loadPutsTheFileNameFirst(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, LOCAL.replace("mp0", "mp/0"));

        assertThatThrownBy(() -> PortalConfig.load(file)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": portal.tun: ");
        assertThatThrownBy(() -> PortalConfig.load(dir.resolve("missing.toml")))
                .hasMessage(dir.resolve("missing.toml") + ": config file not found");
    }

    @Test
    void loadReadsAValidFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("remote.toml");
        Files.writeString(file, REMOTE);

        assertThat(PortalConfig.load(file)).isEqualTo(PortalConfig.parse(REMOTE));
    }

    @Test
    void theTunMtuIsTheSmallestInnerPacketEveryPathCarriesWhole() throws Exception {
        String udpOnly = LOCAL.replace("transport = \"tcp\"", "transport = \"udp\"");
        assertThat(PortalConfig.parse(udpOnly).mtu()).as("1500 - 28 UDP/IPv4 - 24").isEqualTo(1448);
        assertThat(PortalConfig.parse(udpOnly.replace("transport = \"udp\"", "transport = \"rawip\"")).mtu())
                .as("1500 - 20 IPv4 - 24").isEqualTo(1456);
        // A PPPoE link (1492) on the second path sets the TUN's MTU for both.
        PortalConfig pppoe = PortalConfig.parse(udpOnly.replace("name = \"lte\"", "name = \"lte\"\nmtu = 1492"));
        assertThat(pppoe.paths().get(1).mtu()).isEqualTo(1492);
        assertThat(pppoe.paths().get(0).mtu()).isEqualTo(1500);
        assertThat(pppoe.mtu()).isEqualTo(1440);
        // IPv6 outer headers are 20 bytes longer.
        assertThat(PortalConfig.parse(udpOnly.replace("\"10.0.1.1\"", "\"fd00:1::1\"")
                .replace("\"10.0.1.2:4789\"", "\"[fd00:1::2]:4789\"")).mtu()).isEqualTo(1428);
        // A smaller configured MTU is kept as it is.
        assertThat(PortalConfig.parse(udpOnly.replace("[portal]\n", "[portal]\nmtu = 1280\n")).mtu())
                .isEqualTo(1280);
    }

    @Test
    void aConfiguredTunMtuLargerThanAPathCarriesIsRefusedWithTheArithmetic() {
        String udpOnly = LOCAL.replace("transport = \"tcp\"", "transport = \"udp\"")
                .replace("name = \"lte\"", "name = \"lte\"\nmtu = 1492");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> PortalConfig.parse(udpOnly.replace("[portal]\n", "[portal]\nmtu = 1500\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("portal.mtu: 1500 is more than path 'lte' carries whole (1440: link MTU 1492 - 28 outer"
                        + " headers - 24 frame header and tag); lower it, or leave it out to use 1440");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> PortalConfig.parse(udpOnly.replace("mtu = 1492", "mtu = 600")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("path[2].mtu: the link MTU 600 leaves 548 bytes for inner packets, below 576");
    }

    @Test
    void aRemotePortalDerivesWhatA1500ByteLinkCarriesOverUdpInItsListenFamily() throws Exception {
        String noMtu = REMOTE.replaceAll("(?m)^mtu = .*\n", "");
        assertThat(PortalConfig.parse(noMtu).mtu()).isEqualTo(1448);
        assertThat(PortalConfig.parse(noMtu.replace("\"0.0.0.0:4789\"", "\"[::]:4789\"")).mtu()).isEqualTo(1428);
    }
}
