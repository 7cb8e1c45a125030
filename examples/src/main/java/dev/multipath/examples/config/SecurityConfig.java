package dev.multipath.examples.config;

import dev.multipath.api.PeerSpec;
import dev.multipath.auth.AeadImplementation;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.AuthSettings;
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
 * @param aead          which AES-GCM implementation protects frames ({@code aead}: auto, the default, is OpenSSL's
 *                      when libcrypto loads, else the JDK's)
 */
public record SecurityConfig(Optional<AuthMode> mode, byte[] privateKey, byte[] peerPublicKey,
        List<PeerSpec> peers, AeadImplementation aead) {

    public SecurityConfig {
        peers = List.copyOf(peers);
        if (aead == null) {
            throw new IllegalArgumentException("aead is required");
        }
    }

    /** With the default AES-GCM implementation. */
    public SecurityConfig(Optional<AuthMode> mode, byte[] privateKey, byte[] peerPublicKey, List<PeerSpec> peers) {
        this(mode, privateKey, peerPublicKey, peers, AeadImplementation.AUTO);
    }

    public SecurityConfig withAead(AeadImplementation a) {
        return new SecurityConfig(mode, privateKey, peerPublicKey, peers, a);
    }

    /**
     * The authenticator settings: the defaults of the mode, with the configured AES-GCM implementation.
     *
     * @throws IllegalStateException if authentication is off
     */
    public AuthSettings authSettings() {
        return AuthSettings.defaults(mode.orElseThrow(() -> new IllegalStateException("mode is none")))
                .withAead(aead);
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
                && java.util.Arrays.equals(peerPublicKey, s.peerPublicKey) && peers.equals(s.peers) && aead == s.aead;
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + java.util.Arrays.hashCode(peerPublicKey);
    }

    /** Never prints the private key. */
    @Override
    public String toString() {
        return "SecurityConfig[mode=" + modeName() + ", aead=" + aead.configName() + ", peer="
                + (peerPublicKey.length == 0 ? "-" : dev.multipath.auth.StaticKeys.encode(peerPublicKey))
                + (peers.isEmpty() ? "" : ", peers=" + peers) + "]";
    }
}
