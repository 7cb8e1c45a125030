package dev.multipath.auth;

import dev.multipath.frame.FrameHeader;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-frame AEAD: JCE {@code AES/GCM/NoPadding} with a 96-bit tag and the frame counter as the nonce.
 * In {@link AuthMode#AUTHENTICATE} the whole frame is associated data and the plaintext is empty; in
 * {@link AuthMode#ENCRYPT} the header is associated data and the payload is encrypted in place.
 *
 * <p>Threading: two {@link Cipher}s per thread (one for sealing, one for opening; {@link ThreadLocal}s), created on a
 * thread's first use and re-initialised per frame, so any number of path threads may call at once. Two, because a
 * thread that both seals (send key) and opens (receive key), as a receive thread does when it acknowledges data,
 * would otherwise switch keys on every such frame, and SunJCE re-expands the AES key schedule whenever the key
 * differs from the last one (about 1.7 KB and as much time as a seal: GcmCallPatternBenchmark.alternatingKeys).
 * JCE needs a new {@link GCMParameterSpec} (immutable; it copies the nonce) and an {@code init} per frame; that allocation is
 * inside the JDK and is measured by SealOpenBenchmark.
 */
final class PacketCipher {

    /** Tag bytes appended to every frame (96-bit GCM tag). */
    static final int TAG_LENGTH = 12;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private final AuthMode mode;
    private final ThreadLocal<Worker> sealers = ThreadLocal.withInitial(Worker::new);
    private final ThreadLocal<Worker> openers = ThreadLocal.withInitial(Worker::new);

    PacketCipher(AuthMode mode) {
        this.mode = mode;
    }

    /**
     * Seals the frame whose header (already complete, counter included) is at {@code off}; appends the tag.
     *
     * @return the frame length
     * @throws IllegalStateException if the JCE refuses (a bug, never bad input)
     */
    int seal(SecretKeySpec key, long counter, byte[] buf, int off, int payloadLength) {
        Worker w = sealers.get();
        try {
            Cipher c = w.init(Cipher.ENCRYPT_MODE, key, counter);
            int body = off + FrameHeader.LENGTH;
            if (mode == AuthMode.AUTHENTICATE) {
                c.updateAAD(buf, off, FrameHeader.LENGTH + payloadLength);
                c.doFinal(buf, body + payloadLength, 0, buf, body + payloadLength);
            } else {
                c.updateAAD(buf, off, FrameHeader.LENGTH);
                c.doFinal(buf, body, payloadLength, buf, body);
            }
            return FrameHeader.LENGTH + payloadLength + TAG_LENGTH;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    /**
     * Verifies (and in encrypt mode decrypts in place) the frame {@code buf[off, off + length)}, whose length
     * the caller has checked to be at least header plus tag.
     *
     * @return whether the tag verified; on false the payload bytes may have been overwritten
     */
    boolean open(SecretKeySpec key, long counter, byte[] buf, int off, int length) {
        Worker w = openers.get();
        int payloadLength = length - FrameHeader.LENGTH - TAG_LENGTH;
        int body = off + FrameHeader.LENGTH;
        try {
            Cipher c = w.init(Cipher.DECRYPT_MODE, key, counter);
            if (mode == AuthMode.AUTHENTICATE) {
                c.updateAAD(buf, off, FrameHeader.LENGTH + payloadLength);
                c.doFinal(buf, body + payloadLength, TAG_LENGTH, buf, body + payloadLength);
            } else {
                c.updateAAD(buf, off, FrameHeader.LENGTH);
                c.doFinal(buf, body, payloadLength + TAG_LENGTH, buf, body);
            }
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    /** One thread's cipher and nonce buffer. */
    private static final class Worker {
        private final Cipher cipher;
        private final byte[] nonce = new byte[12];

        Worker() {
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
            }
        }

        /** Nonce: zero bytes then the 32-bit counter, big-endian (unique per key: one key per direction). */
        Cipher init(int opmode, SecretKeySpec key, long counter) throws GeneralSecurityException {
            for (int i = 11; i >= 6; i--) {
                nonce[i] = (byte) counter;
                counter >>>= 8;
            }
            cipher.init(opmode, key, new GCMParameterSpec(TAG_BITS, nonce));
            return cipher;
        }
    }
}
