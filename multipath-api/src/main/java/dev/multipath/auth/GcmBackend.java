package dev.multipath.auth;

import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM over one frame in place, with a 96-bit tag and a 96-bit nonce made of six zero bytes and the 48-bit frame
 * counter (big-endian). The associated data is {@code buf[aadOff, aadOff + aadLength)}, the text (plaintext when
 * sealing, ciphertext when opening) follows it directly, and the tag follows the text. Implementations are safe for
 * concurrent use (state is per thread) and produce identical bytes.
 */
interface GcmBackend {

    /** Encrypts the text in place and writes the tag after it. */
    void seal(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength);

    /**
     * Verifies the tag after the text and decrypts the text in place.
     *
     * @return whether the tag verified; on false the text may have been overwritten
     */
    boolean open(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength);

    /** Short name for logs and status: "jce" or "openssl". */
    String name();

    /** The nonce for {@code counter}: bytes 0-5 zero, 6-11 the counter's low 48 bits, big-endian. */
    static void writeNonce(byte[] nonce, long counter) {
        for (int i = 11; i >= 6; i--) {
            nonce[i] = (byte) counter;
            counter >>>= 8;
        }
    }
}
