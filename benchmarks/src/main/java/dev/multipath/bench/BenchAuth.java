package dev.multipath.bench;

import dev.multipath.api.Authenticator;
import dev.multipath.api.Role;
import dev.multipath.auth.AeadImplementation;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.AuthSettings;
import dev.multipath.auth.NoiseIkAuthenticator;
import dev.multipath.auth.PassThroughAuthenticator;
import dev.multipath.auth.StaticKeys;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Pairs of authenticators with a session already made, for benchmarks that run both portals in one thread. */
final class BenchAuth {

    private BenchAuth() {
    }

    /**
     * A local (element 0) and remote (element 1) authenticator with a session.
     *
     * @param kind "none" (pass-through: no tag), or an {@link AuthMode} name: AUTHENTICATE, ENCRYPT
     * @param aead the AES-GCM implementation: "openssl" or "jce" ({@link AeadImplementation} names)
     */
    static Authenticator[] pair(String kind, String aead) {
        if ("none".equals(kind)) {
            return new Authenticator[] {new PassThroughAuthenticator(), new PassThroughAuthenticator()};
        }
        AuthMode mode = AuthMode.valueOf(kind);
        byte[] localKey = StaticKeys.generatePrivateKey();
        byte[] remoteKey = StaticKeys.generatePrivateKey();
        // Long session lifetime so that no rekey happens during a measurement.
        AuthSettings settings = AuthSettings.defaults(mode).withRekey(TimeUnit.HOURS.toNanos(10),
                TimeUnit.HOURS.toNanos(20), 1L << 46).withAead(AeadImplementation.parse(aead));
        NoiseIkAuthenticator local = new NoiseIkAuthenticator(Role.LOCAL, localKey, StaticKeys.publicKey(remoteKey),
                settings, Clock.systemUTC(), System::nanoTime);
        NoiseIkAuthenticator remote = new NoiseIkAuthenticator(Role.REMOTE, remoteKey,
                StaticKeys.publicKey(localKey), settings, Clock.systemUTC(), System::nanoTime);
        byte[] init = new byte[256];
        byte[] resp = new byte[256];
        int n = local.pollHandshake(init, 0, System.nanoTime());
        int r = remote.onHandshake(init, 0, n, resp, 0, System.nanoTime());
        if (r <= 0 || local.onHandshake(resp, 0, r, new byte[256], 0, System.nanoTime()) != 0) {
            throw new IllegalStateException("handshake failed");
        }
        return new Authenticator[] {local, remote};
    }
}
