package dev.multipath.auth;

import dev.multipath.frame.FrameHeader;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-frame AEAD: AES-GCM with a 96-bit tag and the frame counter as the nonce. In {@link AuthMode#AUTHENTICATE}
 * the whole frame is associated data and the plaintext is empty; in {@link AuthMode#ENCRYPT} the header is associated
 * data and the payload is encrypted in place. The AES-GCM itself is a {@link GcmBackend}: OpenSSL's or the JDK's,
 * as {@link AeadImplementation} says (both give the same bytes). Safe for concurrent use.
 */
final class PacketCipher {

    /** Tag bytes appended to every frame (96-bit GCM tag). */
    static final int TAG_LENGTH = 12;

    private static final Logger LOG = LoggerFactory.getLogger(PacketCipher.class);
    private static final Object LOCK = new Object();
    /** Loaded once per JVM (the self-test costs a few milliseconds); null until the first AUTO or OPENSSL. */
    private static GcmBackend openSsl;
    private static String openSslFailure;
    private static final GcmBackend JCE = new JceGcm();

    private final AuthMode mode;
    private final GcmBackend gcm;

    /**
     * @throws IllegalStateException if {@code aead} is {@link AeadImplementation#OPENSSL} and libcrypto cannot be
     *                               used (the message says why)
     */
    PacketCipher(AuthMode mode, AeadImplementation aead) {
        this.mode = mode;
        this.gcm = backend(aead);
    }

    static GcmBackend backend(AeadImplementation aead) {
        if (aead == AeadImplementation.JCE) {
            return JCE;
        }
        synchronized (LOCK) {
            if (openSsl == null && openSslFailure == null) {
                try {
                    openSsl = OpenSslGcm.load();
                    LOG.info("AES-GCM through OpenSSL's libcrypto");
                } catch (IllegalStateException e) {
                    openSslFailure = e.getMessage();
                    if (aead == AeadImplementation.AUTO) {
                        LOG.info("AES-GCM through the JCE: {}", openSslFailure);
                    }
                }
            }
            if (openSsl != null) {
                return openSsl;
            }
            if (aead == AeadImplementation.OPENSSL) {
                throw new IllegalStateException("aead = \"openssl\" but " + openSslFailure);
            }
            return JCE;
        }
    }

    /**
     * Seals the frame whose header (already complete, counter included) is at {@code off}; appends the tag.
     *
     * @return the frame length
     */
    int seal(SecretKeySpec key, long counter, byte[] buf, int off, int payloadLength) {
        if (mode == AuthMode.AUTHENTICATE) {
            gcm.seal(key, counter, buf, off, FrameHeader.LENGTH + payloadLength, 0);
        } else {
            gcm.seal(key, counter, buf, off, FrameHeader.LENGTH, payloadLength);
        }
        return FrameHeader.LENGTH + payloadLength + TAG_LENGTH;
    }

    /**
     * Verifies (and in encrypt mode decrypts in place) the frame {@code buf[off, off + length)}, whose length
     * the caller has checked to be at least header plus tag.
     *
     * @return whether the tag verified; on false the payload bytes may have been overwritten
     */
    boolean open(SecretKeySpec key, long counter, byte[] buf, int off, int length) {
        int payloadLength = length - FrameHeader.LENGTH - TAG_LENGTH;
        if (mode == AuthMode.AUTHENTICATE) {
            return gcm.open(key, counter, buf, off, FrameHeader.LENGTH + payloadLength, 0);
        }
        return gcm.open(key, counter, buf, off, FrameHeader.LENGTH, payloadLength);
    }
}
