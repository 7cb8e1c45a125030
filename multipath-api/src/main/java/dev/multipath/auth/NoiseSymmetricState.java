package dev.multipath.auth;

import com.google.crypto.tink.subtle.Hkdf;
import com.google.crypto.tink.subtle.X25519;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise's SymmetricState for {@code Noise_IK_25519_AESGCM_SHA256}: chaining key, handshake hash and the current
 * handshake cipher key. HKDF is Tink's (HMAC-SHA256; RFC 5869 with empty info is exactly Noise's HKDF), DH is
 * Tink's X25519, hashing is the JDK's SHA-256, the AEAD is JCE AES-256-GCM with a 128-bit tag. Handshake path
 * only: allocates freely; not thread-safe (one instance per handshake).
 */
final class NoiseSymmetricState {

    static final String PROTOCOL_NAME = "Noise_IK_25519_AESGCM_SHA256";
    static final int HASH_LENGTH = 32;
    static final int AEAD_TAG = 16;

    private byte[] ck;
    private byte[] h;
    private byte[] k;
    private long n;

    /** Initialises with the protocol name, then mixes in {@code prologue}. */
    NoiseSymmetricState(byte[] prologue) {
        byte[] name = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
        h = Arrays.copyOf(name, HASH_LENGTH); // name shorter than the hash: zero-padded
        ck = h.clone();
        mixHash(prologue, 0, prologue.length);
    }

    private NoiseSymmetricState(NoiseSymmetricState other) {
        ck = other.ck;
        h = other.h;
        k = other.k;
        n = other.n;
    }

    /** A copy to try a message on without changing this state (arrays are never modified in place). */
    NoiseSymmetricState copy() {
        return new NoiseSymmetricState(this);
    }

    void mixHash(byte[] data, int off, int len) {
        MessageDigest d = sha256();
        d.update(h);
        d.update(data, off, len);
        h = d.digest();
    }

    /** MixKey(DH(priv, pub)); rejects an all-zero shared secret (a low-order public key). */
    void mixDh(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
        mixKey(dh(privateKey, publicKey));
    }

    void mixKey(byte[] ikm) throws GeneralSecurityException {
        byte[] out = Hkdf.computeHkdf("HMACSHA256", ikm, ck, new byte[0], 2 * HASH_LENGTH);
        ck = Arrays.copyOfRange(out, 0, HASH_LENGTH);
        k = Arrays.copyOfRange(out, HASH_LENGTH, 2 * HASH_LENGTH);
        n = 0;
    }

    /** EncryptAndHash: writes ciphertext and tag at {@code out[outOff]}, returns their length. */
    int encryptAndHash(byte[] plain, byte[] out, int outOff) throws GeneralSecurityException {
        Cipher c = cipher(Cipher.ENCRYPT_MODE);
        int len = c.doFinal(plain, 0, plain.length, out, outOff);
        mixHash(out, outOff, len);
        return len;
    }

    /**
     * DecryptAndHash of {@code in[off, off + plainLength + 16)}.
     *
     * @return the plaintext, or null if the tag did not verify
     */
    byte[] decryptAndHash(byte[] in, int off, int plainLength) throws GeneralSecurityException {
        Cipher c = cipher(Cipher.DECRYPT_MODE);
        byte[] plain;
        try {
            plain = c.doFinal(in, off, plainLength + AEAD_TAG);
        } catch (AEADBadTagException e) {
            return null;
        }
        mixHash(in, off, plainLength + AEAD_TAG);
        return plain;
    }

    /** Split: the two transport keys, initiator-to-responder first. */
    byte[][] split() throws GeneralSecurityException {
        byte[] out = Hkdf.computeHkdf("HMACSHA256", new byte[0], ck, new byte[0], 2 * HASH_LENGTH);
        return new byte[][] {Arrays.copyOfRange(out, 0, HASH_LENGTH), Arrays.copyOfRange(out, HASH_LENGTH, 64)};
    }

    private Cipher cipher(int mode) throws GeneralSecurityException {
        if (k == null) {
            throw new IllegalStateException("no handshake key yet");
        }
        byte[] nonce = new byte[12];
        for (int i = 11; i >= 4; i--) {
            nonce[i] = (byte) (n >>> (8 * (11 - i)));
        }
        n++;
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(k, "AES"), new GCMParameterSpec(AEAD_TAG * 8, nonce));
        c.updateAAD(h);
        return c;
    }

    static byte[] dh(byte[] privateKey, byte[] publicKey) throws GeneralSecurityException {
        byte[] shared = X25519.computeSharedSecret(privateKey, publicKey);
        int acc = 0;
        for (byte b : shared) {
            acc |= b;
        }
        if (acc == 0) {
            throw new GeneralSecurityException("X25519 result is zero (low-order public key)");
        }
        return shared;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
