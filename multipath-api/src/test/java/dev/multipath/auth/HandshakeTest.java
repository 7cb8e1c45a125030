package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Authenticator;
import dev.multipath.api.DropReason;
import dev.multipath.api.Role;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.time.Clock;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static final int REJECTED = Authenticator.dropCode(DropReason.HANDSHAKE_REJECTED);

    @ParameterizedTest
    @EnumSource(AuthMode.class)
    void twoAuthenticatorsCompleteASessionAndCarryFramesBothWays(AuthMode mode) {
        AuthPair p = new AuthPair(mode);
        assertThat(p.local.hasSession()).isFalse();
        assertThat(p.remote.hasSession()).isFalse();
        p.handshake();
        assertThat(p.local.hasSession()).isTrue();
        // The responder sends only once the initiator has shown it holds the keys.
        assertThat(p.remote.hasSession()).isFalse();
        assertThat(p.remote.seal(AuthPair.frame(FrameType.DATA, new byte[10]), 0, 10))
                .isEqualTo(Authenticator.dropCode(DropReason.NO_SESSION));
        byte[] up = AuthPair.frame(FrameType.DATA, "hello".getBytes());
        assertThat(p.remote.open(up, 0, p.local.seal(up, 0, 5), p.now())).isEqualTo(5);
        assertThat(p.remote.hasSession()).isTrue();
        byte[] down = AuthPair.frame(FrameType.DATA, "world".getBytes());
        assertThat(p.local.open(down, 0, p.remote.seal(down, 0, 5), p.now())).isEqualTo(5);
        assertThat(new String(down, FrameHeader.LENGTH, 5)).isEqualTo("world");
    }

    @Test
    void initiatorRetriesEverySecondUntilAnsweredThenWaitsForRekeyTime() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE);
        byte[] init1 = new byte[256];
        assertThat(p.local.pollHandshake(init1, 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isZero();
        byte[] resp1 = new byte[256];
        int r1 = p.remote.onHandshake(init1, 0, NoiseIkAuthenticator.INIT_LENGTH, resp1, 0, p.now());
        assertThat(r1).isEqualTo(NoiseIkAuthenticator.RESPONSE_LENGTH); // answer lost on the way
        p.advanceMillis(999);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isZero();
        p.advanceMillis(1);
        byte[] init2 = new byte[256];
        assertThat(p.local.pollHandshake(init2, 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
        byte[] resp2 = new byte[256];
        int r2 = p.remote.onHandshake(init2, 0, NoiseIkAuthenticator.INIT_LENGTH, resp2, 0, p.now());
        assertThat(r2).isEqualTo(NoiseIkAuthenticator.RESPONSE_LENGTH);
        // The late answer to the first initiation no longer matches.
        assertThat(p.local.onHandshake(resp1, 0, r1, new byte[256], 0, p.now())).isEqualTo(REJECTED);
        assertThat(p.local.onHandshake(resp2, 0, r2, new byte[256], 0, p.now())).isZero();
        assertThat(p.local.hasSession()).isTrue();
        // A replayed response is rejected too.
        assertThat(p.local.onHandshake(resp2, 0, r2, new byte[256], 0, p.now())).isEqualTo(REJECTED);
        byte[] ka = AuthPair.frame(FrameType.KEEPALIVE, new byte[0]);
        assertThat(p.remote.open(ka, 0, p.local.seal(ka, 0, 0), p.now())).isZero();
        for (int i = 0; i < 12; i++) { // traffic from the remote every 10 s: no silence rekey
            p.advanceMillis(i < 11 ? 10_000 : 9_999);
            assertThat(open(p.local, sealed(p.remote, 1), p)).isOne();
            assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isZero();
        }
        p.advanceMillis(1);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
        assertThat(p.remote.pollHandshake(new byte[256], 0, p.now())).as("the remote never initiates").isZero();
    }

    @Test
    void rehandshakesAfter15SecondsWithoutAnyVerifiedFrame() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE).established();
        p.advanceMillis(14_999);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isZero();
        p.advanceMillis(1);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
    }

    @Test
    void rekeysOnPacketCount() {
        AuthPair p = new AuthPair(AuthSettings.defaults(AuthMode.AUTHENTICATE).withRekey(120_000_000_000L,
                180_000_000_000L, 10)).established();
        byte[] f = AuthPair.frame(FrameType.DATA, new byte[0]);
        for (int i = 0; i < 8; i++) {
            p.local.seal(f, 0, 0);
        }
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isZero();
        p.local.seal(f, 0, 0);
        assertThat(p.local.pollHandshake(new byte[256], 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
    }

    @Test
    void wrongStaticKeyNeverGetsASessionAndGetsNoReply() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE);
        // An intruder that knows the remote's public key (so its mac1 is valid) but has its own private key.
        NoiseIkAuthenticator intruder = new NoiseIkAuthenticator(Role.LOCAL, StaticKeys.generatePrivateKey(),
                p.remote.publicKey(), AuthSettings.defaults(AuthMode.AUTHENTICATE), Clock.systemUTC(), p.nanos::get);
        for (int i = 0; i < 5; i++) {
            byte[] init = new byte[256];
            int n = intruder.pollHandshake(init, 0, p.now());
            assertThat(n).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
            byte[] out = new byte[256];
            assertThat(p.remote.onHandshake(init, 0, n, out, 0, p.now())).isEqualTo(REJECTED);
            assertThat(out).as("nothing written back").containsOnly(0);
            p.advanceMillis(1000);
        }
        assertThat(intruder.hasSession()).isFalse();
        assertThat(p.remote.hasSession()).isFalse();
        // And the genuine initiator is unaffected.
        p.established();
    }

    @Test
    void initiatorWithTheWrongRemoteKeyOrModeIsRejected() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE);
        NoiseIkAuthenticator wrongRemoteKey = new NoiseIkAuthenticator(Role.LOCAL, p.localPrivate,
                StaticKeys.publicKey(StaticKeys.generatePrivateKey()), AuthSettings.defaults(AuthMode.AUTHENTICATE),
                Clock.systemUTC(), p.nanos::get);
        NoiseIkAuthenticator wrongMode = new NoiseIkAuthenticator(Role.LOCAL, p.localPrivate, p.remote.publicKey(),
                AuthSettings.defaults(AuthMode.ENCRYPT), Clock.systemUTC(), p.nanos::get);
        for (NoiseIkAuthenticator a : new NoiseIkAuthenticator[] {wrongRemoteKey, wrongMode}) {
            byte[] init = new byte[256];
            int n = a.pollHandshake(init, 0, p.now());
            byte[] out = new byte[256];
            assertThat(p.remote.onHandshake(init, 0, n, out, 0, p.now())).isEqualTo(REJECTED);
            assertThat(out).containsOnly(0);
        }
    }

    @Test
    void replayedInitiationIsRejectedAndDoesNotDisturbTheSession() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE);
        byte[] init = new byte[256];
        int n = p.local.pollHandshake(init, 0, p.now());
        byte[] resp = new byte[256];
        int r = p.remote.onHandshake(init.clone(), 0, n, resp, 0, p.now());
        assertThat(p.local.onHandshake(resp, 0, r, new byte[256], 0, p.now())).isZero();
        byte[] ka = AuthPair.frame(FrameType.KEEPALIVE, new byte[0]);
        assertThat(p.remote.open(ka, 0, p.local.seal(ka, 0, 0), p.now())).isZero();

        p.advanceMillis(5000);
        byte[] out = new byte[256];
        assertThat(p.remote.onHandshake(init, 0, n, out, 0, p.now())).isEqualTo(REJECTED);
        assertThat(out).containsOnly(0);
        byte[] down = AuthPair.frame(FrameType.DATA, new byte[20]);
        assertThat(p.local.open(down, 0, p.remote.seal(down, 0, 20), p.now())).isEqualTo(20);
    }

    @ParameterizedTest
    @EnumSource(AuthMode.class)
    void rekeyWithFramesInFlightUnderBothPhases(AuthMode mode) {
        AuthPair p = new AuthPair(mode).established();
        assertThat(p.local.sendPhase()).isZero();
        byte[] firstSession = sealed(p.local, 1);
        p.advanceMillis(120_000);
        byte[] up0 = sealed(p.local, 100);
        byte[] down0 = sealed(p.remote, 101);

        byte[] init = new byte[256];
        int n = p.local.pollHandshake(init, 0, p.now());
        assertThat(FrameHeader.keyPhase(init, 0)).isOne();
        byte[] resp = new byte[256];
        int r = p.remote.onHandshake(init, 0, n, resp, 0, p.now());
        byte[] down0late = sealed(p.remote, 102); // remote still on the old session
        assertThat(FrameHeader.keyPhase(down0late, 0)).isZero();
        assertThat(p.local.onHandshake(resp, 0, r, new byte[256], 0, p.now())).isZero();
        assertThat(p.local.sendPhase()).isOne();
        byte[] up1 = sealed(p.local, 103);
        assertThat(FrameHeader.keyPhase(up1, 0)).isOne();

        // Delivered out of order across the key change: all accepted once.
        assertThat(open(p.remote, up1, p)).isEqualTo(103);
        assertThat(p.remote.sendPhase()).as("remote switched on the first new-session frame").isOne();
        assertThat(open(p.remote, up0, p)).isEqualTo(100);
        assertThat(open(p.local, down0late, p)).isEqualTo(102);
        assertThat(open(p.local, down0, p)).isEqualTo(101);
        byte[] down1 = sealed(p.remote, 104);
        assertThat(FrameHeader.keyPhase(down1, 0)).isOne();
        assertThat(open(p.local, down1, p)).isEqualTo(104);

        // The next rekey reuses phase 0 with new keys: phase-1 frames in flight still open, first-session ones never.
        p.advanceMillis(120_000);
        byte[] inFlight1 = sealed(p.local, 0);
        p.handshake();
        assertThat(p.local.sendPhase()).isZero();
        assertThat(open(p.remote, inFlight1, p)).isZero();
        assertThat(open(p.remote, sealed(p.local, 7), p)).isEqualTo(7);
        assertThat(open(p.remote, firstSession, p)).isNegative();
    }

    @Test
    void sessionsExpireWithoutRekey() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE).established();
        byte[] old = sealed(p.local, 10);
        p.advanceMillis(180_000);
        assertThat(p.local.hasSession()).isFalse();
        assertThat(p.local.seal(AuthPair.frame(FrameType.DATA, new byte[1]), 0, 1))
                .isEqualTo(Authenticator.dropCode(DropReason.NO_SESSION));
        assertThat(open(p.remote, old, p)).isEqualTo(Authenticator.dropCode(DropReason.NO_SESSION));
    }

    @Test
    void aFloodOfInitiationsIsBoundedBeforeAnyDiffieHellman() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE);
        Random rnd = new Random(1);
        // Junk of the right length and type: mac1 fails, no DH at all.
        long t0 = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            byte[] junk = new byte[NoiseIkAuthenticator.INIT_LENGTH];
            rnd.nextBytes(junk);
            FrameHeader.write(junk, 0, FrameType.HANDSHAKE_INIT, 0, 0, 0, 0, 0);
            byte[] out = new byte[256];
            assertThat(p.remote.onHandshake(junk, 0, junk.length, out, 0, p.now())).isEqualTo(REJECTED);
        }
        long junkNanos = (System.nanoTime() - t0) / 20_000;
        assertThat(p.remote.initiationsProcessed()).isZero();

        // Someone who knows the remote's public key: valid mac1, so only the token bucket stands in the way.
        NoiseIkAuthenticator intruder = new NoiseIkAuthenticator(Role.LOCAL, StaticKeys.generatePrivateKey(),
                p.remote.publicKey(), AuthSettings.defaults(AuthMode.AUTHENTICATE), Clock.systemUTC(), p.nanos::get);
        byte[] init = new byte[256];
        intruder.pollHandshake(init, 0, p.now());
        long start = p.now();
        for (int i = 0; i < 1000; i++) {
            p.remote.onHandshake(init, 0, NoiseIkAuthenticator.INIT_LENGTH, new byte[256], 0, start + i * 1_000_000L);
        }
        // 1000 initiations in 1 s: at most burst (10) + rate (20/s) x 1 s got DH work.
        assertThat(p.remote.initiationsProcessed()).isBetween(1L, 31L);
        System.out.printf("junk initiation rejected in %d ns; DH work for %d of 1000 valid-mac1 initiations%n",
                junkNanos, p.remote.initiationsProcessed());
        // Once the flood stops, the genuine initiator gets through.
        p.advanceMillis(2000);
        p.established();
    }

    @Test
    void aFloodFromUnprovenSourcesNeverStopsTheRunningPeerFromRekeying() {
        AuthPair p = new AuthPair(AuthMode.AUTHENTICATE).established();
        NoiseIkAuthenticator intruder = new NoiseIkAuthenticator(Role.LOCAL, StaticKeys.generatePrivateKey(),
                p.remote.publicKey(), AuthSettings.defaults(AuthMode.AUTHENTICATE), Clock.systemUTC(), p.nanos::get);
        byte[] flood = new byte[256];
        intruder.pollHandshake(flood, 0, p.now());
        // The genuine local portal's rekey, sent while the flood goes on.
        p.advanceMillis(121_000);
        byte[] rekey = new byte[256];
        assertThat(p.local.pollHandshake(rekey, 0, p.now())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
        long start = p.now();
        for (int i = 0; i < 1000; i++) {
            p.remote.onHandshake(flood, 0, NoiseIkAuthenticator.INIT_LENGTH, new byte[256], 0, start + i * 100_000L);
        }
        long during = start + 999 * 100_000L; // the instant of the flood's last initiation: no token refilled since
        // From a new address the rekey competes with the flood and loses: the unproven budget is empty ...
        assertThat(p.remote.onHandshake(rekey, 0, NoiseIkAuthenticator.INIT_LENGTH, new byte[256], 0, during,
                false)).isEqualTo(REJECTED);
        // ... but on a link the peer already proved, its own budget is untouched.
        byte[] resp = new byte[256];
        assertThat(p.remote.onHandshake(rekey, 0, NoiseIkAuthenticator.INIT_LENGTH, resp, 0, during, true))
                .isEqualTo(NoiseIkAuthenticator.RESPONSE_LENGTH);
        assertThat(p.local.onHandshake(resp, 0, NoiseIkAuthenticator.RESPONSE_LENGTH, new byte[256], 0, during))
                .isZero();
    }

    private static byte[] sealed(Authenticator a, int payloadLength) {
        byte[] f = AuthPair.frame(FrameType.DATA, new byte[payloadLength]);
        int len = a.seal(f, 0, payloadLength);
        assertThat(len).isEqualTo(f.length);
        return f;
    }

    private static int open(Authenticator a, byte[] f, AuthPair p) {
        return a.open(f, 0, f.length, p.now());
    }
}
