package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Role;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** A local and a remote authenticator with their own keys, sharing a simulated clock. For tests. */
final class AuthPair {

    final byte[] localPrivate = StaticKeys.generatePrivateKey();
    final byte[] remotePrivate = StaticKeys.generatePrivateKey();
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final NoiseIkAuthenticator local;
    final NoiseIkAuthenticator remote;

    AuthPair(AuthSettings settings) {
        local = new NoiseIkAuthenticator(Role.LOCAL, localPrivate, StaticKeys.publicKey(remotePrivate), settings,
                Clock.systemUTC(), nanos::get);
        remote = new NoiseIkAuthenticator(Role.REMOTE, remotePrivate, StaticKeys.publicKey(localPrivate), settings,
                Clock.systemUTC(), nanos::get);
    }

    AuthPair(AuthMode mode) {
        this(AuthSettings.defaults(mode));
    }

    long now() {
        return nanos.get();
    }

    void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    /** Runs one handshake (initiation, response) and returns the response length the remote produced. */
    void handshake() {
        byte[] init = new byte[256];
        int n = local.pollHandshake(init, 0, now());
        assertThat(n).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
        byte[] resp = new byte[256];
        int r = remote.onHandshake(init, 0, n, resp, 0, now());
        assertThat(r).isEqualTo(NoiseIkAuthenticator.RESPONSE_LENGTH);
        assertThat(local.onHandshake(resp, 0, r, new byte[256], 0, now())).isZero();
    }

    /** Handshake, then one keepalive local to remote so that the remote confirms and can send. */
    AuthPair established() {
        handshake();
        byte[] ka = frame(FrameType.KEEPALIVE, new byte[0]);
        int len = local.seal(ka, 0, 0);
        assertThat(remote.open(ka, 0, len, now())).isZero();
        assertThat(remote.hasSession()).isTrue();
        return this;
    }

    /** A buffer with a header (type, path id 3) and {@code payload}, room for the tag. */
    static byte[] frame(FrameType type, byte[] payload) {
        byte[] b = new byte[FrameHeader.LENGTH + payload.length + PacketCipher.TAG_LENGTH];
        FrameHeader.write(b, 0, type, 0, 3, 0, 0, 0);
        System.arraycopy(payload, 0, b, FrameHeader.LENGTH, payload.length);
        return b;
    }
}
