package dev.multipath.auth;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link GcmBackend} on the JDK's {@code AES/GCM/NoPadding}.
 *
 * <p>Two {@link Cipher}s per thread (one for sealing, one for opening), created on a thread's first use and
 * re-initialised per frame. Two, because a thread that both seals (send key) and opens (receive key), as a receive
 * thread does when it acknowledges data, would otherwise switch keys on every such frame, and SunJCE re-expands the
 * AES key schedule whenever the key differs from the last one (about 1.7 KB and as much time as a seal:
 * GcmCallPatternBenchmark.alternatingKeys). The JCE needs a new {@link GCMParameterSpec} and an {@code init} per
 * frame; that allocation is inside the JDK (SealOpenBenchmark measures it).
 */
final class JceGcm implements GcmBackend {

    private static final int TAG_BITS = PacketCipher.TAG_LENGTH * 8;

    private final ThreadLocal<Worker> sealers = ThreadLocal.withInitial(Worker::new);
    private final ThreadLocal<Worker> openers = ThreadLocal.withInitial(Worker::new);

    @Override
    public void seal(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength) {
        try {
            Cipher c = sealers.get().init(Cipher.ENCRYPT_MODE, key, counter);
            int text = aadOff + aadLength;
            c.updateAAD(buf, aadOff, aadLength);
            c.doFinal(buf, text, textLength, buf, text);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM seal failed", e);
        }
    }

    @Override
    public boolean open(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength) {
        try {
            Cipher c = openers.get().init(Cipher.DECRYPT_MODE, key, counter);
            int text = aadOff + aadLength;
            c.updateAAD(buf, aadOff, aadLength);
            c.doFinal(buf, text, textLength + PacketCipher.TAG_LENGTH, buf, text);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM open failed", e);
        }
    }

    @Override
    public String name() {
        return "jce";
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

        Cipher init(int opmode, SecretKeySpec key, long counter) throws GeneralSecurityException {
            GcmBackend.writeNonce(nonce, counter);
            cipher.init(opmode, key, new GCMParameterSpec(TAG_BITS, nonce));
            return cipher;
        }
    }
}
