package dev.multipath.auth;

import java.util.Locale;

/**
 * What the per-frame AEAD protects. Both portals must be configured with the same mode: it is bound into the
 * handshake, so a mismatch never yields a session.
 */
public enum AuthMode {
    /** The seed's default: the whole frame (header and payload) is authenticated, the payload stays in clear. */
    AUTHENTICATE,
    /** The header is authenticated and the payload is encrypted in place, with the same AEAD and tag. */
    ENCRYPT;

    /** The name used in config files: {@code "authenticate"} or {@code "encrypt"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a config value ({@code "authenticate"} or {@code "encrypt"}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AuthMode parse(String value) {
        for (AuthMode m : values()) {
            if (m.configName().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("mode must be \"authenticate\" or \"encrypt\", not \"" + value + "\"");
    }
}
