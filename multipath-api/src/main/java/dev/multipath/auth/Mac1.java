package dev.multipath.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WireGuard's mac1: a MAC over a handshake message keyed by {@code SHA-256("mac1----" || receiver's static
 * public key)}, HMAC-SHA256 truncated to 16 bytes. Whoever does not know the receiver's public key cannot make
 * it spend any Diffie-Hellman work, and it costs the receiver about a microsecond to check.
 *
 * <p>Not thread-safe (one {@link Mac}); the authenticator calls it under its handshake lock.
 */
final class Mac1 {

    static final int LENGTH = 16;

    private final Mac mac;
    private final byte[] scratch = new byte[32];

    Mac1(byte[] receiverPublicKey) {
        try {
            MessageDigest d = NoiseSymmetricState.sha256();
            d.update("mac1----".getBytes(StandardCharsets.US_ASCII));
            d.update(receiverPublicKey);
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(d.digest(), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    /** Writes the MAC of {@code b[off, off + len)} at {@code b[off + len]}. */
    void write(byte[] b, int off, int len) {
        compute(b, off, len);
        System.arraycopy(scratch, 0, b, off + len, LENGTH);
    }

    /** Whether {@code b[off + len, +16)} is the MAC of {@code b[off, off + len)} (constant time). */
    boolean verify(byte[] b, int off, int len) {
        compute(b, off, len);
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= scratch[i] ^ b[off + len + i];
        }
        return diff == 0;
    }

    private void compute(byte[] b, int off, int len) {
        mac.update(b, off, len);
        try {
            mac.doFinal(scratch, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
