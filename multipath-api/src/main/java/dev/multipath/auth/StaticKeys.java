package dev.multipath.auth;

import com.google.crypto.tink.subtle.X25519;
import java.security.InvalidKeyException;
import java.util.Base64;

/**
 * Static X25519 key pairs, WireGuard style: 32-byte keys written as standard base64 (44 characters).
 * All methods are static, thread-safe and return fresh arrays the caller owns.
 *
 * <p>Typical CLI use: {@code genkey} prints {@code StaticKeys.encode(StaticKeys.generatePrivateKey())};
 * {@code pubkey} prints {@code StaticKeys.publicKeyBase64(privateBase64)}.
 */
public final class StaticKeys {

    /** Length of every X25519 key in bytes. */
    static final int KEY_LENGTH = 32;

    private StaticKeys() {
    }

    /** A new random private key (Tink, from the platform's SecureRandom). */
    public static byte[] generatePrivateKey() {
        return X25519.generatePrivateKey();
    }

    /**
     * The public key of {@code privateKey}.
     *
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public static byte[] publicKey(byte[] privateKey) {
        checkLength(privateKey, "private key");
        try {
            return X25519.publicFromPrivate(privateKey);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("invalid X25519 private key: " + e.getMessage(), e);
        }
    }

    /** Base64 (standard alphabet, padded) of a 32-byte key. */
    public static String encode(byte[] key) {
        checkLength(key, "key");
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Decodes a base64 key, ignoring surrounding white space.
     *
     * @throws IllegalArgumentException if the text is not base64 or does not decode to 32 bytes
     */
    public static byte[] decode(String base64) {
        if (base64 == null) {
            throw new IllegalArgumentException("key is missing");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not valid base64: " + e.getMessage(), e);
        }
        checkLength(key, "key");
        return key;
    }

    /** A new private key, base64-encoded. */
    public static String generatePrivateKeyBase64() {
        return encode(generatePrivateKey());
    }

    /** The base64 public key of a base64 private key (what {@code portal pubkey} prints). */
    public static String publicKeyBase64(String privateKeyBase64) {
        return encode(publicKey(decode(privateKeyBase64)));
    }

    private static void checkLength(byte[] key, String what) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + KEY_LENGTH + " bytes, not "
                    + (key == null ? "missing" : key.length + " bytes"));
        }
    }
}
