package dev.multipath.bench;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JCE AES-GCM call patterns for sealing one 1400-byte frame (12-byte header), to see which allocates least and
 * runs fastest: {@code arrays} is what {@code PacketCipher} does (byte[] AAD and doFinal in place);
 * {@code heapBuffers} the same through {@code updateAAD(ByteBuffer)} and {@code doFinal(ByteBuffer, ByteBuffer)} on
 * heap buffers, in place ({@code heapBuffersOutOfPlace}: into another array); {@code directBuffers} through direct
 * buffers. {@code authenticate=true}: whole frame as AAD, empty
 * plaintext (the AUTHENTICATE mode); false: header as AAD, payload encrypted (ENCRYPT). {@code alternatingKeys}
 * seals with two keys in turn on one Cipher, as a thread does that both seals (with the send key) and opens (with
 * the receive key): the JCE re-expands the AES key schedule whenever the key differs from the last one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GcmCallPatternBenchmark {

    private static final int HEADER = 12;
    private static final int PAYLOAD = 1400;
    private static final int TAG = 12;

    @Param({"arrays", "heapBuffers", "heapBuffersOutOfPlace", "directBuffers"})
    public String pattern;

    @Param({"true", "false"})
    public boolean authenticate;

    private Cipher cipher;
    private SecretKeySpec key;
    private SecretKeySpec otherKey;
    private final byte[] nonce = new byte[12];
    private final byte[] frame = new byte[HEADER + PAYLOAD + TAG];
    private final byte[] out = new byte[HEADER + PAYLOAD + TAG];
    private ByteBuffer heap;
    private ByteBuffer heapIn;
    private ByteBuffer heapOut;
    private ByteBuffer direct;
    private ByteBuffer directIn;
    private long counter;

    @Setup
    public void setUp() throws GeneralSecurityException {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        k[0] ^= 1;
        otherKey = new SecretKeySpec(k, "AES");
        heap = ByteBuffer.wrap(frame);
        heapIn = heap.duplicate();
        heapOut = ByteBuffer.wrap(out);
        direct = ByteBuffer.allocateDirect(frame.length);
        directIn = direct.duplicate();
    }

    @Benchmark
    public int seal() throws GeneralSecurityException {
        return sealWith(key);
    }

    @Benchmark
    public int alternatingKeys() throws GeneralSecurityException {
        return sealWith((counter & 1) == 0 ? key : otherKey);
    }

    private int sealWith(SecretKeySpec k) throws GeneralSecurityException {
        long c = counter++;
        for (int i = 11; i >= 6; i--) {
            nonce[i] = (byte) c;
            c >>>= 8;
        }
        cipher.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(TAG * 8, nonce));
        int aad = authenticate ? HEADER + PAYLOAD : HEADER;
        int plain = authenticate ? 0 : PAYLOAD;
        switch (pattern) {
            case "arrays":
                cipher.updateAAD(frame, 0, aad);
                return cipher.doFinal(frame, aad, plain, frame, aad);
            case "heapBuffers":
                return viaBuffers(heap, heapIn, heap, aad, plain);
            case "heapBuffersOutOfPlace":
                return viaBuffers(heap, heapIn, heapOut, aad, plain);
            default:
                return viaBuffers(direct, directIn, direct, aad, plain);
        }
    }

    /** AAD from {@code b}, plaintext from {@code in} (a view of the same memory), output into {@code dst}. */
    private int viaBuffers(ByteBuffer b, ByteBuffer in, ByteBuffer dst, int aad, int plain)
            throws GeneralSecurityException {
        b.limit(aad).position(0);
        cipher.updateAAD(b);
        in.limit(aad + plain).position(aad);
        dst.limit(dst.capacity()).position(aad);
        return cipher.doFinal(in, dst);
    }
}
