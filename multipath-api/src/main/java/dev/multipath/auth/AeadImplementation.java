package dev.multipath.auth;

import java.util.Locale;

/**
 * Which implementation of AES-GCM seals and opens data frames. Both produce the same bytes (the same AEAD, the same
 * nonces), so two portals may differ in this setting.
 */
public enum AeadImplementation {
    /** OpenSSL when its libcrypto can be loaded and passes a self-test against the JCE, else the JCE. */
    AUTO,
    /** The JDK's own {@code AES/GCM/NoPadding} (SunJCE): always there; allocates about 1-4 KB per frame. */
    JCE,
    /**
     * OpenSSL's libcrypto (version 1.1 or 3) through jnr-ffi: no allocation per frame and about half the time on
     * machines with AES-NI; fails at start-up if libcrypto cannot be loaded.
     */
    OPENSSL;

    /** The name used in configuration files: {@code auto}, {@code jce} or {@code openssl}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AeadImplementation parse(String text) {
        for (AeadImplementation a : values()) {
            if (a.configName().equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("expected \"auto\", \"jce\" or \"openssl\", got '" + text + "'");
    }
}
