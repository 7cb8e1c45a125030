package dev.multipath.api;

import dev.multipath.auth.StaticKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One local portal that a remote portal serving many peers accepts (a config file's {@code [[peer]]} table).
 *
 * @param name       a name for logs and status (unique among the peers)
 * @param publicKey  the peer's static X25519 public key (32 bytes; copied)
 * @param allowedIps the inner addresses the peer may use as source, and that are routed to it (cryptokey routing)
 */
public record PeerSpec(String name, byte[] publicKey, List<IpPrefix> allowedIps) {

    public PeerSpec {
        Objects.requireNonNull(name, "name");
        StaticKeys.encode(Objects.requireNonNull(publicKey, "publicKey")); // length check
        publicKey = publicKey.clone();
        allowedIps = List.copyOf(allowedIps);
    }

    /** A peer from prefix texts such as {@code "10.1.0.0/24"} and {@code "fd00:1::/64"}. */
    public static PeerSpec of(String name, byte[] publicKey, String... allowedIps) {
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String s : allowedIps) {
            prefixes.add(IpPrefix.parse(s));
        }
        return new PeerSpec(name, publicKey, prefixes);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerSpec p && p.name.equals(name) && java.util.Arrays.equals(p.publicKey, publicKey)
                && p.allowedIps.equals(allowedIps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, java.util.Arrays.hashCode(publicKey), allowedIps);
    }

    @Override
    public String toString() {
        return "PeerSpec[" + name + ", " + StaticKeys.encode(publicKey) + ", " + allowedIps + "]";
    }
}
