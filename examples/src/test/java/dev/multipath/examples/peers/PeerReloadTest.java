package dev.multipath.examples.peers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.PeerSpec;
import dev.multipath.api.Portal;
import dev.multipath.api.Role;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.AuthSettings;
import dev.multipath.auth.StaticKeys;
import dev.multipath.sim.InMemoryPacketSource;
import dev.multipath.sim.MemoryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading [[peer]] tables into a running remote portal touches only the peers that changed. */
class PeerReloadTest {

    private static byte[] key() {
        return StaticKeys.publicKey(StaticKeys.generatePrivateKey());
    }

    @Test
    void addsRemovesAndReplacesOnlyWhatChanged(@TempDir Path dir) throws Exception {
        byte[] remoteKey = StaticKeys.generatePrivateKey();
        PeerSpec a = PeerSpec.of("a", key(), "10.1.0.0/24");
        PeerSpec b = PeerSpec.of("b", key(), "10.2.0.0/24");
        PeerSpec c = PeerSpec.of("c", key(), "10.3.0.0/24");
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(new InMemoryPacketSource("t", 1400))
                .listener(MemoryTransport.pair("x")[1])
                .peers(remoteKey, AuthSettings.defaults(AuthMode.AUTHENTICATE)).peer(a).peer(b).build();
        remote.start();
        try {
            PeerSpec bMoved = new PeerSpec("b", b.publicKey(), List.of(dev.multipath.api.IpPrefix.parse(
                    "10.20.0.0/24")));
            PeerReload.Result r = PeerReload.apply(remote, List.of(a, bMoved, c));
            assertThat(r.added()).containsExactly("c");
            assertThat(r.replaced()).containsExactly("b");
            assertThat(r.removed()).isEmpty();
            assertThat(remote.peers()).containsExactlyInAnyOrder(a, bMoved, c);
            assertThat(PeerReload.apply(remote, List.of(a, bMoved, c)).changed()).isFalse();

            r = PeerReload.apply(remote, List.of(c));
            assertThat(r.removed()).containsExactlyInAnyOrder("a", "b");
            assertThat(remote.peers()).containsExactly(c);

            // From a file, as SIGHUP does; a broken file changes nothing.
            Path file = dir.resolve("remote.toml");
            Files.writeString(file, String.join("\n",
                    "[portal]", "role = \"remote\"", "tun = \"mp1\"", "listen = \"0.0.0.0:4789\"",
                    "private_key = \"" + StaticKeys.encode(remoteKey) + "\"", "",
                    "[[peer]]", "name = \"a\"", "public_key = \"" + StaticKeys.encode(a.publicKey()) + "\"",
                    "allowed_ips = [\"10.1.0.0/24\"]", ""));
            PeerReload.reload(file, remote);
            assertThat(remote.peers()).containsExactly(a);
            Files.writeString(file, "[portal]\nrole = 7\n");
            PeerReload.reload(file, remote);
            assertThat(remote.peers()).containsExactly(a);
        } finally {
            remote.close();
        }
    }
}
