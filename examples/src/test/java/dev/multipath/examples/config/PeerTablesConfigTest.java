package dev.multipath.examples.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.api.IpPrefix;
import dev.multipath.api.PeerSpec;
import dev.multipath.auth.StaticKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A remote portal's [[peer]] tables (cryptokey routing), and what stays as it was with a single [peer]. */
class PeerTablesConfigTest {

    private static final String KEY2 = StaticKeys.encode(StaticKeys.publicKey(StaticKeys.generatePrivateKey()));

    private static String remote(String peers) {
        return String.join("\n",
                "[portal]",
                "role = \"remote\"",
                "tun = \"mp1\"",
                "listen = \"0.0.0.0:4789\"",
                "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"",
                "",
                peers);
    }

    @Test
    void readsPeerTablesWithAllowedIps() throws Exception {
        PortalConfig c = PortalConfig.parse(remote(String.join("\n",
                "[[peer]]",
                "name = \"home\"",
                "public_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"",
                "allowed_ips = [\"10.1.0.0/24\", \"fd00:1::/64\"]",
                "",
                "[[peer]]",
                "public_key = \"" + KEY2 + "\"",
                "allowed_ips = [\"10.2.0.0/24\"]",
                "")));
        SecurityConfig sec = c.security();
        assertThat(sec.multiPeer()).isTrue();
        List<PeerSpec> peers = sec.peers();
        assertThat(peers).extracting(PeerSpec::name).containsExactly("home", "peer2");
        assertThat(peers.get(0).allowedIps()).containsExactly(IpPrefix.parse("10.1.0.0/24"),
                IpPrefix.parse("fd00:1::/64"));
        assertThat(StaticKeys.encode(peers.get(1).publicKey())).isEqualTo(KEY2);
    }

    @Test
    void theSinglePeerTableKeepsWorking() throws Exception {
        assertThat(PortalConfig.parse(SampleConfigs.REMOTE).security().multiPeer()).isFalse();
        assertThat(PortalConfig.parse(SampleConfigs.LOCAL).security().multiPeer()).isFalse();
        SecurityConfig one = PortalConfig.parse(remote(String.join("\n",
                "[peer]",
                "public_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"",
                "allowed_ips = [\"10.1.0.0/24\"]",
                ""))).security();
        assertThat(one.peers()).hasSize(1);
        assertThat(one.peers().get(0).name()).isEqualTo("peer");
    }

    @Test
    void rejectsWhatCannotWork() {
        String key1 = "public_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"";
        assertThatThrownBy(() -> PortalConfig.parse(remote(String.join("\n", "[[peer]]", key1, ""))))
                .hasMessageContaining("peer[1].allowed_ips").hasMessageContaining("missing required key");
        assertThatThrownBy(() -> PortalConfig.parse(remote(String.join("\n", "[[peer]]", key1,
                "allowed_ips = [\"10.1.0.0/33\"]", "")))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> PortalConfig.parse(remote(String.join("\n", "[[peer]]", key1,
                "allowed_ips = [\"10.1.0.0/24\"]", "", "[[peer]]", key1, "allowed_ips = [\"10.2.0.0/24\"]", ""))))
                .hasMessageContaining("peer[2].public_key").hasMessageContaining("same key as peer[1]");
        assertThatThrownBy(() -> PortalConfig.parse(remote(String.join("\n", "[[peer]]", key1,
                "allowed_ips = [\"10.1.0.0/24\"]", "endpoint = \"x\"", "")))).hasMessageContaining("peer[1].endpoint");
        String local = SampleConfigs.LOCAL.replace("[peer]", "[[peer]]");
        assertThatThrownBy(() -> PortalConfig.parse(local)).hasMessageContaining("a local portal has one [peer]");
        String localAllowed = SampleConfigs.LOCAL.replace("[peer]\n", "[peer]\nallowed_ips = [\"10.0.0.0/8\"]\n");
        assertThatThrownBy(() -> PortalConfig.parse(localAllowed)).hasMessageContaining("peer.allowed_ips");
    }
}
