package dev.multipath.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Authenticator;
import dev.multipath.api.DropReason;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Seal/open properties in both modes, on sessions made by real handshakes (made once: X25519 is slow). */
class SealOpenProperties {

    private static final AuthPair AUTH = new AuthPair(AuthMode.AUTHENTICATE).established();
    private static final AuthPair ENC = new AuthPair(AuthMode.ENCRYPT).established();
    private static final AuthPair OTHER = new AuthPair(AuthMode.AUTHENTICATE).established();

    private static AuthPair pair(boolean encrypt) {
        return encrypt ? ENC : AUTH;
    }

    @Property
    void roundTripInBothDirections(@ForAll @Size(max = 1500) byte[] payload, @ForAll boolean encrypt,
            @ForAll boolean fromRemote) {
        AuthPair p = pair(encrypt);
        Authenticator tx = fromRemote ? p.remote : p.local;
        Authenticator rx = fromRemote ? p.local : p.remote;
        byte[] f = AuthPair.frame(FrameType.DATA, payload);
        int len = tx.seal(f, 0, payload.length);
        assertThat(len).isEqualTo(f.length);
        boolean clearOnWire = Arrays.equals(f, FrameHeader.LENGTH, FrameHeader.LENGTH + payload.length, payload, 0,
                payload.length);
        if (!encrypt || payload.length == 0) {
            assertThat(clearOnWire).isTrue();
        } else if (payload.length >= 8) {
            assertThat(clearOnWire).as("encrypt mode hides the payload").isFalse();
        }
        assertThat(rx.open(f, 0, len, p.now())).isEqualTo(payload.length);
        assertThat(Arrays.copyOfRange(f, FrameHeader.LENGTH, FrameHeader.LENGTH + payload.length)).isEqualTo(payload);
        assertThat(FrameHeader.validate(f, 0, len)).isEqualTo(FrameType.DATA);
        assertThat(FrameHeader.pathId(f, 0)).isEqualTo(3);
    }

    @Property
    void anySingleBitFlipIsRejected(@ForAll @Size(max = 300) byte[] payload, @ForAll boolean encrypt,
            @ForAll @IntRange(min = 0, max = 100_000) int position) {
        AuthPair p = pair(encrypt);
        byte[] f = AuthPair.frame(FrameType.DATA, payload);
        int len = p.local.seal(f, 0, payload.length);
        int bit = position % (len * 8);
        byte[] flipped = f.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThat(p.remote.open(flipped, 0, len, p.now())).as("bit %d flipped", bit).isNegative();
        // The rejected copy did not burn the genuine frame's counter.
        assertThat(p.remote.open(f, 0, len, p.now())).isEqualTo(payload.length);
    }

    @Property
    void truncationOrExtensionIsRejected(@ForAll @Size(max = 300) byte[] payload, @ForAll boolean encrypt,
            @ForAll @IntRange(min = -400, max = 64) int delta, @ForAll byte filler) {
        if (delta == 0) {
            return;
        }
        AuthPair p = pair(encrypt);
        byte[] f = Arrays.copyOf(AuthPair.frame(FrameType.DATA, payload), 512);
        int len = p.local.seal(f, 0, payload.length);
        int changed = Math.max(0, len + delta);
        byte[] g = f.clone();
        Arrays.fill(g, len, g.length, filler);
        // A copy: a failed open may have written into its buffer (JDK 25 decrypts in place before the tag check).
        assertThat(p.remote.open(g.clone(), 0, changed, p.now())).isNegative();
        assertThat(p.remote.open(g, 0, len, p.now())).isEqualTo(payload.length);
    }

    @Property
    void framesUnderAnotherKeyAreRejected(@ForAll @Size(max = 300) byte[] payload) {
        byte[] f = AuthPair.frame(FrameType.DATA, payload);
        int len = OTHER.local.seal(f, 0, payload.length);
        assertThat(AUTH.remote.open(f.clone(), 0, len, AUTH.now())).isNegative();
        // Even addressed exactly to AUTH.remote's session (index and phase forged), the tag fails.
        byte[] probe = AuthPair.frame(FrameType.DATA, new byte[0]);
        AUTH.local.seal(probe, 0, 0);
        byte[] g = f.clone();
        FrameHeader.setReceiverIndex(g, 0, FrameHeader.receiverIndex(probe, 0));
        FrameHeader.setKeyPhase(g, 0, FrameHeader.keyPhase(probe, 0));
        assertThat(AUTH.remote.open(g, 0, len, AUTH.now()))
                .isEqualTo(Authenticator.dropCode(DropReason.AUTHENTICATION));
    }

    @Property
    void replayedFramesAreRejected(@ForAll @Size(max = 100) byte[] payload, @ForAll boolean encrypt) {
        AuthPair p = pair(encrypt);
        byte[] f = AuthPair.frame(FrameType.DATA, payload);
        int len = p.remote.seal(f, 0, payload.length);
        byte[] copy = f.clone();
        assertThat(p.local.open(f, 0, len, p.now())).isEqualTo(payload.length);
        assertThat(p.local.open(copy, 0, len, p.now())).isEqualTo(Authenticator.dropCode(DropReason.REPLAY));
    }

    @Property
    void junkNeverThrowsAndNeverOpens(@ForAll @Size(max = 200) byte[] junk, @ForAll boolean encrypt) {
        AuthPair p = pair(encrypt);
        assertThat(p.remote.open(junk, 0, junk.length, p.now())).isNegative();
        assertThat(p.remote.onHandshake(junk, 0, junk.length, new byte[256], 0, p.now())).isNegative();
        assertThat(p.local.onHandshake(junk, 0, junk.length, new byte[256], 0, p.now())).isNegative();
    }
}
