package dev.multipath.auth;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.types.intptr_t;

/**
 * {@link GcmBackend} on OpenSSL's libcrypto (EVP interface, 1.1 or 3), bound with jnr-ffi. Nothing is allocated per
 * frame: each thread keeps, per direction, a few {@code EVP_CIPHER_CTX}s with a key expanded in each and a native
 * scratch buffer; a frame is copied in, sealed or opened in place with five calls (set nonce, AAD, text, final, tag)
 * and the changed bytes copied back. Every native call takes plain addresses into memory we allocated, and every
 * length passed is at most that memory's size.
 *
 * <p>A context is re-keyed only when a frame comes with a key object none of the thread's contexts has (see
 * {@link Worker}). Contexts are freed, and the key schedule in them cleansed by OpenSSL,
 * when their thread's worker becomes unreachable (a {@link Cleaner}).
 */
final class OpenSslGcm implements GcmBackend {

    private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int EVP_CTRL_GCM_SET_TAG = 0x11;
    /** Scratch layout: nonce at 0, the int out-length at 16, the key while re-keying at 32, the frame from 64. */
    private static final int NONCE_AT = 0;
    private static final int OUTL_AT = 16;
    private static final int KEY_AT = 32;
    private static final int FRAME_AT = 64;
    /** Enough for any frame of a 64 KiB datagram; larger requests grow the scratch (a bug elsewhere, but safe). */
    private static final int INITIAL_FRAME_CAPACITY = 65536;
    private static final Cleaner CLEANER = Cleaner.create();

    /** The bound functions. Public only because jnr-ffi generates the implementation in another class loader. */
    public interface Calls {
        @IgnoreError @intptr_t long EVP_CIPHER_CTX_new();

        @IgnoreError void EVP_CIPHER_CTX_free(@intptr_t long ctx);

        @IgnoreError @intptr_t long EVP_aes_128_gcm();

        @IgnoreError @intptr_t long EVP_aes_256_gcm();

        // The direction-specific calls, not EVP_CipherInit_ex: through jnr-ffi its sixth argument (int enc)
        // arrived wrong, the decrypting context encrypted, and its final call "verified" any tag (the self-test
        // caught it).
        @IgnoreError int EVP_EncryptInit_ex(@intptr_t long ctx, @intptr_t long cipher, @intptr_t long engine,
                @intptr_t long key, @intptr_t long iv);

        @IgnoreError int EVP_DecryptInit_ex(@intptr_t long ctx, @intptr_t long cipher, @intptr_t long engine,
                @intptr_t long key, @intptr_t long iv);

        @IgnoreError int EVP_EncryptUpdate(@intptr_t long ctx, @intptr_t long out, @intptr_t long outLength,
                @intptr_t long in, int inLength);

        @IgnoreError int EVP_DecryptUpdate(@intptr_t long ctx, @intptr_t long out, @intptr_t long outLength,
                @intptr_t long in, int inLength);

        @IgnoreError int EVP_EncryptFinal_ex(@intptr_t long ctx, @intptr_t long out, @intptr_t long outLength);

        @IgnoreError int EVP_DecryptFinal_ex(@intptr_t long ctx, @intptr_t long out, @intptr_t long outLength);

        @IgnoreError int EVP_CIPHER_CTX_ctrl(@intptr_t long ctx, int type, int arg, @intptr_t long ptr);
    }

    private final Calls crypto;
    private final Runtime runtime;
    private final ThreadLocal<Worker> sealers = ThreadLocal.withInitial(() -> new Worker(true));
    private final ThreadLocal<Worker> openers = ThreadLocal.withInitial(() -> new Worker(false));

    private OpenSslGcm(Calls crypto) {
        this.crypto = crypto;
        this.runtime = Runtime.getRuntime(crypto);
    }

    /**
     * Loads libcrypto and checks it against the JCE on random frames of both modes (a known-answer test whose
     * answer is the JDK's).
     *
     * @throws IllegalStateException with the reason when libcrypto is missing, lacks a function, or disagrees
     */
    static OpenSslGcm load() {
        Calls calls;
        try {
            calls = LibraryLoader.create(Calls.class).failImmediately().load(libraryName());
        } catch (LinkageError | RuntimeException e) {
            throw new IllegalStateException("OpenSSL libcrypto not loadable: " + e.getMessage(), e);
        }
        OpenSslGcm gcm = new OpenSslGcm(calls);
        gcm.selfTest();
        return gcm;
    }

    /** The versioned name first: the unversioned libcrypto.so exists only where the -dev package is installed. */
    private static String libraryName() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64",
                "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64"}) {
            for (String file : new String[] {"libcrypto.so.3", "libcrypto.so.1.1"}) {
                if (new java.io.File(dir, file).isFile()) {
                    return dir + "/" + file;
                }
            }
        }
        return "crypto";
    }

    private void selfTest() {
        SecureRandom random = new SecureRandom();
        JceGcm reference = new JceGcm();
        for (int keyLength : new int[] {16, 32}) {
            byte[] k = new byte[keyLength];
            random.nextBytes(k);
            SecretKeySpec key = new SecretKeySpec(k, "AES");
            for (int textLength : new int[] {0, 1, 15, 16, 17, 1400}) {
                int aad = 12 + (textLength == 0 ? 1400 : 0);
                byte[] a = new byte[3 + aad + textLength + PacketCipher.TAG_LENGTH];
                random.nextBytes(a);
                byte[] b = a.clone();
                long counter = random.nextLong() >>> 16;
                seal(key, counter, a, 3, aad, textLength);
                reference.seal(key, counter, b, 3, aad, textLength);
                if (!Arrays.equals(a, b)) {
                    throw new IllegalStateException("OpenSSL AES-GCM disagrees with the JCE (key " + keyLength
                            + " bytes, text " + textLength + " bytes)");
                }
                if (!open(key, counter, a, 3, aad, textLength)) {
                    throw new IllegalStateException("OpenSSL AES-GCM rejects its own frame");
                }
                b[3 + aad + textLength] ^= 1; // a flipped tag bit must fail
                if (open(key, counter, b, 3, aad, textLength)) {
                    throw new IllegalStateException("OpenSSL AES-GCM accepts a forged tag");
                }
            }
        }
    }

    @Override
    public void seal(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength) {
        Worker w = sealers.get();
        int frame = aadLength + textLength + PacketCipher.TAG_LENGTH;
        w.begin(key, counter, buf, aadOff, aadLength + textLength, frame);
        long text = w.frame + aadLength;
        boolean ok = update(w, 0, w.frame, aadLength)
                && update(w, text, text, textLength)
                && crypto.EVP_EncryptFinal_ex(w.ctx, text + textLength, w.base + OUTL_AT) == 1
                && crypto.EVP_CIPHER_CTX_ctrl(w.ctx, EVP_CTRL_GCM_GET_TAG, PacketCipher.TAG_LENGTH,
                        text + textLength) == 1;
        if (!ok) {
            throw new IllegalStateException("OpenSSL AES-GCM seal failed");
        }
        w.scratch.get(FRAME_AT + aadLength, buf, aadOff + aadLength, textLength + PacketCipher.TAG_LENGTH);
    }

    @Override
    public boolean open(SecretKeySpec key, long counter, byte[] buf, int aadOff, int aadLength, int textLength) {
        Worker w = openers.get();
        int frame = aadLength + textLength + PacketCipher.TAG_LENGTH;
        w.begin(key, counter, buf, aadOff, frame, frame);
        long text = w.frame + aadLength;
        if (crypto.EVP_CIPHER_CTX_ctrl(w.ctx, EVP_CTRL_GCM_SET_TAG, PacketCipher.TAG_LENGTH, text + textLength) != 1
                || !update(w, 0, w.frame, aadLength) || !update(w, text, text, textLength)) {
            throw new IllegalStateException("OpenSSL AES-GCM open failed");
        }
        // Final returns 0 (not an error) when the tag does not verify.
        if (crypto.EVP_DecryptFinal_ex(w.ctx, text + textLength, w.base + OUTL_AT) != 1) {
            return false;
        }
        if (textLength > 0) {
            w.scratch.get(FRAME_AT + aadLength, buf, aadOff + aadLength, textLength);
        }
        return true;
    }

    private boolean update(Worker w, long out, long in, int length) {
        if (length == 0) {
            return true;
        }
        long outLength = w.base + OUTL_AT;
        return (w.encrypt ? crypto.EVP_EncryptUpdate(w.ctx, out, outLength, in, length)
                : crypto.EVP_DecryptUpdate(w.ctx, out, outLength, in, length)) == 1;
    }

    @Override
    public String name() {
        return "openssl";
    }

    /**
     * One thread's contexts for one direction, with its native scratch memory. A few contexts, each keyed once: a
     * thread that serves several sessions in turn (both portals of a test in one thread, a hub's receive thread
     * with several peers, the old and new session around a rekey) would otherwise expand a key on every frame.
     * The least recently used context is re-keyed when a new key comes.
     */
    private final class Worker {
        private static final int CONTEXTS = 4;
        private final boolean encrypt;
        private final long[] contexts = new long[CONTEXTS];
        private final SecretKeySpec[] keys = new SecretKeySpec[CONTEXTS];
        private final long[] lastUse = new long[CONTEXTS];
        private long uses;
        private ByteBuffer scratch;
        private long base;
        private long frame;
        /** The context of the frame in progress. */
        private long ctx;

        Worker(boolean encrypt) {
            this.encrypt = encrypt;
            for (int i = 0; i < CONTEXTS; i++) {
                long c = crypto.EVP_CIPHER_CTX_new();
                if (c == 0) {
                    throw new IllegalStateException("EVP_CIPHER_CTX_new failed");
                }
                contexts[i] = c;
            }
            CLEANER.register(this, new FreeContexts(crypto, contexts.clone()));
            allocate(INITIAL_FRAME_CAPACITY);
        }

        private void allocate(int frameCapacity) {
            scratch = ByteBuffer.allocateDirect(FRAME_AT + frameCapacity).order(ByteOrder.nativeOrder());
            base = Pointer.wrap(runtime, scratch).address();
            frame = base + FRAME_AT;
        }

        /** Picks (keying if needed) the context, sets the nonce and copies {@code copyLength} frame bytes in. */
        void begin(SecretKeySpec k, long counter, byte[] buf, int off, int copyLength, int frameLength) {
            if (FRAME_AT + frameLength > scratch.capacity()) {
                allocate(frameLength);
            }
            ctx = contextFor(k);
            for (int i = 0; i < 6; i++) {
                scratch.put(NONCE_AT + i, (byte) 0);
            }
            for (int i = 11; i >= 6; i--) {
                scratch.put(NONCE_AT + i, (byte) counter);
                counter >>>= 8;
            }
            if (init(ctx, 0, 0, base + NONCE_AT) != 1) {
                throw new IllegalStateException("OpenSSL AES-GCM: setting the nonce failed");
            }
            scratch.put(FRAME_AT, buf, off, copyLength);
        }

        private long contextFor(SecretKeySpec k) {
            int oldest = 0;
            for (int i = 0; i < CONTEXTS; i++) {
                if (keys[i] == k) {
                    lastUse[i] = ++uses;
                    return contexts[i];
                }
                if (lastUse[i] < lastUse[oldest]) {
                    oldest = i;
                }
            }
            keys[oldest] = null; // until keyed: a failure below must not leave the old key's name on it
            rekey(contexts[oldest], k);
            keys[oldest] = k;
            lastUse[oldest] = ++uses;
            return contexts[oldest];
        }

        private int init(long c, long cipher, long keyAddress, long nonceAddress) {
            return encrypt ? crypto.EVP_EncryptInit_ex(c, cipher, 0, keyAddress, nonceAddress)
                    : crypto.EVP_DecryptInit_ex(c, cipher, 0, keyAddress, nonceAddress);
        }

        private void rekey(long c, SecretKeySpec k) {
            byte[] raw = k.getEncoded();
            try {
                long cipher = raw.length == 32 ? crypto.EVP_aes_256_gcm()
                        : raw.length == 16 ? crypto.EVP_aes_128_gcm() : 0;
                if (cipher == 0) {
                    throw new IllegalStateException("AES-GCM key of " + raw.length + " bytes");
                }
                scratch.put(KEY_AT, raw, 0, raw.length);
                // The default nonce length of GCM in OpenSSL is 12 bytes, the length used here.
                if (init(c, cipher, base + KEY_AT, 0) != 1) {
                    throw new IllegalStateException("OpenSSL AES-GCM: setting the key failed");
                }
            } finally {
                Arrays.fill(raw, (byte) 0);
                for (int i = 0; i < raw.length; i++) {
                    scratch.put(KEY_AT + i, (byte) 0);
                }
            }
        }
    }

    /** Frees contexts; holds no reference to their worker, so the worker can become unreachable. */
    private static final class FreeContexts implements Runnable {
        private final Calls crypto;
        private final long[] contexts;

        FreeContexts(Calls crypto, long[] contexts) {
            this.crypto = crypto;
            this.contexts = contexts;
        }

        @Override
        public void run() {
            for (long c : contexts) {
                crypto.EVP_CIPHER_CTX_free(c);
            }
        }
    }
}
