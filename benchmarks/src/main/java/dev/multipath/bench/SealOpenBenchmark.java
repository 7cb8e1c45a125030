package dev.multipath.bench;

import dev.multipath.api.Role;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.AuthSettings;
import dev.multipath.auth.NoiseIkAuthenticator;
import dev.multipath.auth.StaticKeys;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.time.Clock;
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

    private NoiseIkAuthenticator local;
    private NoiseIkAuthenticator remote;
    private byte[] frame;
    private byte[] forged;

    @Setup
    public void setUp() {
        byte[] localKey = StaticKeys.generatePrivateKey();
        byte[] remoteKey = StaticKeys.generatePrivateKey();
        // Long session lifetime so that no rekey happens during a measurement.
        AuthSettings settings = AuthSettings.defaults(mode).withRekey(TimeUnit.HOURS.toNanos(10),
                TimeUnit.HOURS.toNanos(20), 1L << 46);
        local = new NoiseIkAuthenticator(Role.LOCAL, localKey, StaticKeys.publicKey(remoteKey), settings,
                Clock.systemUTC(), System::nanoTime);
        remote = new NoiseIkAuthenticator(Role.REMOTE, remoteKey, StaticKeys.publicKey(localKey), settings,
                Clock.systemUTC(), System::nanoTime);
        byte[] init = new byte[256];
        byte[] resp = new byte[256];
        int n = local.pollHandshake(init, 0, System.nanoTime());
        int r = remote.onHandshake(init, 0, n, resp, 0, System.nanoTime());
        if (r <= 0 || local.onHandshake(resp, 0, r, new byte[256], 0, System.nanoTime()) != 0) {
            throw new IllegalStateException("handshake failed");
        }
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
