package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * OpenSSL's AES-GCM and the JCE's give the same bytes, open each other's frames and reject the same forgeries; and
 * OpenSSL's allocates nothing per frame. Needs libcrypto (Debian's libssl3), which CI installs.
 */
class GcmBackendProperties {

    private static final GcmBackend OPENSSL = OpenSslGcm.load();
    private static final GcmBackend JCE = new JceGcm();

    @Property
    void bothImplementationsSealTheSameBytes(@ForAll @Size(min = 16, max = 16) byte[] k16,
            @ForAll @Size(min = 32, max = 32) byte[] k32, @ForAll boolean longKey,
            @ForAll @LongRange(min = 0, max = (1L << 48) - 1) long counter, @ForAll @Size(max = 1600) byte[] frame,
            @ForAll @IntRange(min = 1, max = 64) int aadLength, @ForAll @IntRange(min = 0, max = 7) int off) {
        SecretKeySpec key = new SecretKeySpec(longKey ? k32 : k16, "AES");
        int aad = Math.min(aadLength, Math.max(1, frame.length));
        int text = Math.max(0, frame.length - aad);
        byte[] a = new byte[off + aad + text + PacketCipher.TAG_LENGTH];
        System.arraycopy(frame, 0, a, off, Math.min(frame.length, aad + text));
        byte[] b = a.clone();
        byte[] original = a.clone();
        OPENSSL.seal(key, counter, a, off, aad, text);
        // A fresh Cipher: the JCE refuses to encrypt twice in a row under one key and nonce, which jqwik may ask.
        new JceGcm().seal(key, counter, b, off, aad, text);
        assertThat(a).isEqualTo(b);
        assertThat(Arrays.equals(a, 0, off + aad, original, 0, off + aad)).as("AAD untouched").isTrue();

        byte[] viaJce = a.clone();
        assertThat(OPENSSL.open(key, counter, a, off, aad, text)).isTrue();
        assertThat(JCE.open(key, counter, viaJce, off, aad, text)).isTrue();
        assertThat(Arrays.equals(a, 0, off + aad + text, original, 0, off + aad + text)).isTrue();
        assertThat(Arrays.equals(viaJce, 0, off + aad + text, original, 0, off + aad + text)).isTrue();
    }

    @Property
    void forgeriesAreRejectedByBoth(@ForAll @Size(min = 32, max = 32) byte[] k, @ForAll @Size(max = 600) byte[] text,
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll boolean wrongCounter) {
        SecretKeySpec key = new SecretKeySpec(k, "AES");
        int aad = 12;
        byte[] f = new byte[aad + text.length + PacketCipher.TAG_LENGTH];
        System.arraycopy(text, 0, f, aad, text.length);
        OPENSSL.seal(key, 7, f, 0, aad, text.length);
        byte[] forged = f.clone();
        long counter = 7;
        if (wrongCounter) {
            counter = 8;
        } else {
            int bit = position % (f.length * 8);
            forged[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        assertThat(OPENSSL.open(key, counter, forged.clone(), 0, aad, text.length)).isFalse();
        assertThat(JCE.open(key, counter, forged.clone(), 0, aad, text.length)).isFalse();
        // A failed open leaves the context usable: the genuine frame still opens.
        assertThat(OPENSSL.open(key, 7, f, 0, aad, text.length)).isTrue();
    }

    @Example
    void keysChangeBetweenFramesOnOneThread() {
        SecretKeySpec a = new SecretKeySpec(new byte[32], "AES");
        byte[] other = new byte[32];
        other[0] = 1;
        SecretKeySpec b = new SecretKeySpec(other, "AES");
        for (int i = 0; i < 10; i++) {
            SecretKeySpec key = i % 2 == 0 ? a : b;
            byte[] x = new byte[12 + 100 + PacketCipher.TAG_LENGTH];
            x[20] = (byte) i;
            byte[] y = x.clone();
            OPENSSL.seal(key, i, x, 0, 12, 100);
            JCE.seal(key, i, y, 0, 12, 100);
            assertThat(x).isEqualTo(y);
            assertThat(OPENSSL.open(i % 2 == 0 ? b : a, i, x.clone(), 0, 12, 100)).as("wrong key").isFalse();
            assertThat(OPENSSL.open(key, i, x, 0, 12, 100)).isTrue();
        }
    }

    @Example
    void sealAndOpenAllocateNothingPerFrame() {
        // Two keys in turn, as one thread running both portals (or serving two sessions) uses them: each keeps
        // its context, so no key is expanded again (and no key copy allocated) per frame.
        SecretKeySpec[] keys = {new SecretKeySpec(new byte[32], "AES"), new SecretKeySpec(new byte[32], "AES")};
        byte[] frame = new byte[12 + 1400 + PacketCipher.TAG_LENGTH];
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management
                .ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) { // warm up: compile the jnr-ffi stubs and our code
            OPENSSL.seal(keys[i & 1], i, frame, 0, 12, 1400);
            OPENSSL.open(keys[i & 1], i, frame, 0, 12, 1400);
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        int opened = 0;
        for (int i = 0; i < 50_000; i++) {
            OPENSSL.seal(keys[i & 1], i, frame, 0, 12, 1400);
            if (OPENSSL.open(keys[i & 1], i, frame, 0, 12, 1400)) {
                opened++;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(opened).isEqualTo(50_000);
        assertThat(allocated).as("bytes for 100,000 calls").isLessThan(10_000);
    }

    @Example
    void configNamesParseAndJunkIsRefused() {
        assertThat(AeadImplementation.parse("openssl")).isEqualTo(AeadImplementation.OPENSSL);
        assertThat(AeadImplementation.parse("auto")).isEqualTo(AeadImplementation.AUTO);
        assertThatThrownBy(() -> AeadImplementation.parse("boringssl"))
                .hasMessageContaining("\"auto\", \"jce\" or \"openssl\"");
        assertThat(PacketCipher.backend(AeadImplementation.JCE).name()).isEqualTo("jce");
        assertThat(PacketCipher.backend(AeadImplementation.AUTO).name()).isEqualTo("openssl");
    }
}
