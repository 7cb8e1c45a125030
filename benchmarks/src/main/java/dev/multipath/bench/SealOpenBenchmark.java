package dev.multipath.bench;

import dev.multipath.api.Authenticator;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.NoiseIkAuthenticator;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-frame cost of {@link NoiseIkAuthenticator#seal} and {@link NoiseIkAuthenticator#open} for a 1400-byte
 * payload, in both modes, on a session made by a real handshake. {@code open} alone is
 * {@code sealThenOpen - seal}; {@code openForged} is the cost of a frame whose tag fails (what a forger on a
 * path can make the receiver spend). Run with {@code -prof gc} for allocation per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SealOpenBenchmark {

    @Param({"AUTHENTICATE", "ENCRYPT"})
    public AuthMode mode;

    @Param({"1400"})
    public int payload;

    /** AES-GCM implementation: OpenSSL's (through jnr-ffi) or the JDK's. */
    @Param({"openssl", "jce"})
    public String aead;

    private Authenticator local;
    private Authenticator remote;
    private byte[] frame;
    private byte[] forged;

    @Setup
    public void setUp() {
        Authenticator[] pair = BenchAuth.pair(mode.name(), aead);
        local = pair[0];
        remote = pair[1];
        frame = new byte[FrameHeader.LENGTH + payload + local.tagLength()];
        FrameHeader.write(frame, 0, FrameType.DATA, 0, 1, 0, 0, 0);
        forged = frame.clone();
        int len = local.seal(forged, 0, payload);
        forged[len - 1] ^= 1;
    }

    @Benchmark
    public int seal() {
        return local.seal(frame, 0, payload);
    }

    @Benchmark
    public int sealThenOpen() {
        int len = local.seal(frame, 0, payload);
        return remote.open(frame, 0, len, System.nanoTime());
    }

    @Benchmark
    public int openForged() {
        return remote.open(forged, 0, forged.length, System.nanoTime());
    }
}
