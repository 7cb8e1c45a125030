package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Role;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Demultiplexing on a remote portal serving many peers, with no crypto attempt per peer: an initiation's peer is
 * found from the static key that one DH recovers; every later frame's peer from its receiver index.
 */
class MultiPeerDemuxTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AuthSettings settings = AuthSettings.defaults(AuthMode.AUTHENTICATE);
    private final byte[] remoteKey = StaticKeys.generatePrivateKey();
    private final SessionIndexTable table = new SessionIndexTable();
    private final NoiseIkResponder responder = new NoiseIkResponder(remoteKey, settings, 100);

    /** One peer: its local portal's authenticator and the remote portal's authenticator for it. */
    private final class Peer {
        final byte[] key = StaticKeys.generatePrivateKey();
        final NoiseIkAuthenticator local = new NoiseIkAuthenticator(Role.LOCAL, key,
                StaticKeys.publicKey(remoteKey), settings, Clock.systemUTC(), nanos::get);
        final NoiseIkAuthenticator remote = new NoiseIkAuthenticator(Role.REMOTE, remoteKey,
                StaticKeys.publicKey(key), settings, Clock.systemUTC(), nanos::get);

        Peer() {
            remote.useIndexTable(table, this);
        }

        byte[] initiation() {
            byte[] init = new byte[256];
            assertThat(local.pollHandshake(init, 0, nanos.get())).isEqualTo(NoiseIkAuthenticator.INIT_LENGTH);
            return init;
        }

        /** A keepalive sealed by the local portal (confirms the session on the remote). */
        byte[] keepalive() {
            byte[] f = new byte[FrameHeader.LENGTH + NoiseIkAuthenticator.TAG_LENGTH];
            FrameHeader.write(f, 0, FrameType.KEEPALIVE, 0, 0, 0, 0, 0);
            assertThat(local.seal(f, 0, 0)).isEqualTo(f.length);
            return f;
        }
    }

    /** The remote side as the hub runs it: identify, pick by key, respond; hand the response back. */
    private Peer handshake(Peer[] peers, Peer who) {
        byte[] init = who.initiation();
        NoiseIkResponder.Initiation id = responder.identify(init, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get());
        assertThat(id).isNotNull();
        Peer found = null;
        for (Peer p : peers) {
            if (java.util.Arrays.equals(StaticKeys.publicKey(p.key), id.initiatorStatic())) {
                found = p;
            }
        }
        assertThat(found).isSameAs(who);
        byte[] resp = new byte[256];
        int n = found.remote.respond(id, resp, 0, nanos.get());
        assertThat(n).isEqualTo(NoiseIkAuthenticator.RESPONSE_LENGTH);
        assertThat(who.local.onHandshake(resp, 0, n, new byte[256], 0, nanos.get())).isZero();
        return found;
    }

    @Test
    void framesFindTheirPeerByReceiverIndex() {
        Peer[] peers = {new Peer(), new Peer(), new Peer()};
        for (Peer p : peers) {
            handshake(peers, p);
        }
        Set<Integer> indices = new HashSet<>();
        for (Peer p : peers) {
            for (int i = 0; i < 5; i++) {
                byte[] f = p.keepalive();
                int index = FrameHeader.receiverIndex(f, 0);
                indices.add(index);
                assertThat(table.owner(index)).as("owner of index %d", index).isSameAs(p);
                assertThat(p.remote.open(f, 0, f.length, nanos.get())).isZero();
            }
        }
        assertThat(indices).hasSize(3);
        assertThat(table.inUse()).isEqualTo(3);
        // A frame with another peer's index reaches that peer, whose key does not open it.
        byte[] f = peers[0].keepalive();
        FrameHeader.setReceiverIndex(f, 0, FrameHeader.receiverIndex(peers[1].keepalive(), 0));
        assertThat(peers[1].remote.open(f, 0, f.length, nanos.get())).isNegative();
    }

    @Test
    void rekeyReleasesTheIndexOfTheSessionItReplacesTwoHandshakesLater() {
        Peer p = new Peer();
        Peer[] peers = {p};
        handshake(peers, p);
        int first = FrameHeader.receiverIndex(p.keepalive(), 0);
        p.remote.open(p.keepalive(), 0, FrameHeader.LENGTH + NoiseIkAuthenticator.TAG_LENGTH, nanos.get());
        nanos.addAndGet(settings.rekeyAfterNanos());
        handshake(peers, p); // phase 1: the phase-0 session stays for frames in flight
        assertThat(table.owner(first)).isSameAs(p);
        assertThat(table.inUse()).isEqualTo(2);
        nanos.addAndGet(settings.rekeyAfterNanos());
        handshake(peers, p); // phase 0 again: replaces the first session and frees its index
        assertThat(table.owner(first)).isNull();
        assertThat(table.inUse()).isEqualTo(2);
    }

    @Test
    void anUnknownKeyIsIdentifiedButMatchesNoPeerAndJunkCostsNoDh() {
        Peer known = new Peer();
        Peer stranger = new Peer(); // its key is not in the peers array below
        byte[] init = stranger.initiation();
        NoiseIkResponder.Initiation id = responder.identify(init, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get());
        assertThat(id).isNotNull();
        assertThat(id.initiatorStatic()).isNotEqualTo(StaticKeys.publicKey(known.key));
        // The wrong peer's authenticator refuses it too (defence in depth).
        assertThat(known.remote.respond(id, new byte[256], 0, nanos.get()))
                .isEqualTo(Authenticator_dropCode());
        byte[] junk = init.clone();
        junk[NoiseIkAuthenticator.INIT_MAC1] ^= 1;
        long before = responder.identified();
        assertThat(responder.identify(junk, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get())).isNull();
        assertThat(responder.identified()).isEqualTo(before);
        assertThat(responder.rejected()).isEqualTo(1);
    }

    @Test
    void indicesAreUniqueAndReusedOnlyAfterRelease() {
        SessionIndexTable t = new SessionIndexTable();
        Object a = new Object();
        Object b = new Object();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            assertThat(seen.add(t.allocate(i % 2 == 0 ? a : b))).isTrue();
        }
        assertThat(seen).doesNotContain(0);
        int one = seen.iterator().next();
        Object owner = t.owner(one);
        t.release(one, owner == a ? b : a); // not the owner: no effect
        assertThat(t.owner(one)).isSameAs(owner);
        t.releaseAll(a);
        assertThat(t.inUse()).isEqualTo(1000);
    }

    private static int Authenticator_dropCode() {
        return dev.multipath.api.Authenticator.dropCode(dev.multipath.api.DropReason.HANDSHAKE_REJECTED);
    }

    @Test
    void provenSourcesHaveTheirOwnBudgetAndEachSourceItsOwnShareOfIt() {
        Peer a = new Peer();
        Peer b = new Peer();
        Object linkOfA = new Object();
        Object linkOfB = new Object();
        // Someone with this portal's public key floods from new addresses: the shared budget (burst 200) empties.
        NoiseIkAuthenticator intruder = new NoiseIkAuthenticator(Role.LOCAL, StaticKeys.generatePrivateKey(),
                StaticKeys.publicKey(remoteKey), settings, Clock.systemUTC(), nanos::get);
        byte[] flood = new byte[256];
        intruder.pollHandshake(flood, 0, nanos.get());
        for (int i = 0; i < 500; i++) {
            responder.identify(flood, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get());
        }
        byte[] initA = a.initiation();
        assertThat(responder.identify(initA, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get()))
                .as("unproven: crowded out").isNull();
        // A peer's initiation on a link it proved still gets through.
        assertThat(responder.identify(initA, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get(), linkOfA))
                .isNotNull();
        // Peer a floods through its own proven link: it exhausts its per-source share (burst 2 x 4/s) ...
        int got = 0;
        for (int i = 0; i < 100; i++) {
            if (responder.identify(initA, 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get(), linkOfA)
                    != null) {
                got++;
            }
        }
        assertThat(got).isEqualTo(2 * NoiseIkResponder.PER_SOURCE_PER_SECOND - 1);
        // ... and peer b, on its own proven link, is not affected.
        assertThat(responder.identify(b.initiation(), 0, NoiseIkAuthenticator.INIT_LENGTH, nanos.get(), linkOfB))
                .isNotNull();
    }
}
