package dev.multipath.examples.config;

import dev.multipath.api.PeerSpec;
import dev.multipath.auth.AuthMode;
import java.util.List;
import java.util.Optional;

/**
 * The security part of a config: how frames are protected and with which keys.
 *
 * @param mode          {@code Optional.empty()} only for {@code mode = "none"} (no authentication: lab use only);
 *                      otherwise authenticate (the default) or encrypt
 * @param privateKey    this portal's X25519 private key (32 bytes), from {@code private_key} or {@code private_key_file}
 * @param peerPublicKey the peer's public key (32 bytes), from {@code [peer] public_key}; empty when the remote
 *                      portal serves many peers
 * @param peers         a remote portal serving many local portals: its {@code [[peer]]} tables (name, public_key,
 *                      allowed_ips), in file order; empty for the single {@code [peer]}, whose allowed IPs are then
 *                      everything
 */
public record SecurityConfig(Optional<AuthMode> mode, byte[] privateKey, byte[] peerPublicKey,
        List<PeerSpec> peers) {

    public SecurityConfig {
        peers = List.copyOf(peers);
    }

    /** One peer (the single {@code [peer]} table). */
    public SecurityConfig(Optional<AuthMode> mode, byte[] privateKey, byte[] peerPublicKey) {
        this(mode, privateKey, peerPublicKey, List.of());
    }

    /** Whether this remote portal serves many peers (its {@code [[peer]]} tables). */
    public boolean multiPeer() {
        return !peers.isEmpty();
    }

    /** No authentication at all: every key absent. */
    public static SecurityConfig none() {
        return new SecurityConfig(Optional.empty(), new byte[0], new byte[0]);
    }

    /** Whether frames are authenticated (mode is not "none"). */
    public boolean authenticated() {
        return mode.isPresent();
    }

    /** The config value of the mode: "authenticate", "encrypt" or "none". */
    public String modeName() {
        return mode.map(AuthMode::configName).orElse("none");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecurityConfig s && mode.equals(s.mode)
                && java.util.Arrays.equals(privateKey, s.privateKey)
                && java.util.Arrays.equals(peerPublicKey, s.peerPublicKey) && peers.equals(s.peers);
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + java.util.Arrays.hashCode(peerPublicKey);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "SecurityConfig[mode=" + modeName() + ", peer="
                + (peerPublicKey.length == 0 ? "-" : dev.multipath.auth.StaticKeys.encode(peerPublicKey))
                + (peers.isEmpty() ? "" : ", peers=" + peers) + "]";
    }
}
