package dev.multipath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.PeerSpec;
import dev.multipath.auth.StaticKeys;
import dev.multipath.examples.config.ConfigFormatter;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.SampleConfigs;
import dev.multipath.examples.control.PortalInfo;
import org.junit.jupiter.api.Test;

/**
 * A remote portal with [[peer]] tables has no single peer key: starting its control socket (the status header) and
 * `portal check` (the resolved config) must not need one. Both threw "key must be 32 bytes, not 0 bytes" before,
 * so such a portal with a control_socket exited at start (found by the many-local-portals lab).
 */
class MultiPeerRemoteSetupTest {

    private static final String KEY2 = StaticKeys.encode(StaticKeys.publicKey(StaticKeys.generatePrivateKey()));

    private static final String REMOTE = String.join("\n",
            "[portal]",
            "role = \"remote\"",
            "tun = \"mp1\"",
            "listen = \"0.0.0.0:4789\"",
            "control_socket = \"/run/multipath/mp1.sock\"",
            "private_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"",
            "",
            "[[peer]]",
            "name = \"home\"",
            "public_key = \"" + SampleConfigs.LOCAL_PUBLIC + "\"",
            "allowed_ips = [\"10.1.0.0/24\", \"fd00:1::/64\"]",
            "",
            "[[peer]]",
            "public_key = \"" + KEY2 + "\"",
            "allowed_ips = [\"10.2.0.0/24\"]",
            "");

    @Test
    void theStatusHeaderOfAMultiPeerRemoteNamesNoSinglePeer() throws Exception {
        PortalInfo info = OperationsSetup.info(PortalConfig.parse(REMOTE), 0);
        assertThat(info.peer()).isEmpty();
        assertThat(info.mode()).isPresent();
    }

    @Test
    void checkPrintsThePeerTablesAndTheyReadBackTheSame() throws Exception {
        PortalConfig config = PortalConfig.parse(REMOTE);
        String resolved = ConfigFormatter.toToml(config);
        assertThat(resolved).contains("[[peer]]\nname = \"home\"\n", "allowed_ips = [\"10.2.0.0/24\"]");
        // The resolved config never prints the private key; with it added back it reads as the same peers.
        PortalConfig back = PortalConfig.parse(resolved.replaceFirst("\\[portal\\]\n",
                "[portal]\nprivate_key = \"" + SampleConfigs.REMOTE_PRIVATE + "\"\n"));
        assertThat(back.security().peers()).extracting(PeerSpec::name).containsExactly("home", "peer2");
        assertThat(back.security().peers()).isEqualTo(config.security().peers());
    }
}
