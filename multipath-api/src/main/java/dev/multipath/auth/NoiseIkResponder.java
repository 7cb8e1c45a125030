package dev.multipath.auth;

import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The responder's side of a remote portal that serves many peers: finds out which peer sent a handshake initiation
 * before any peer's authenticator sees it. The initiator's static key travels encrypted under the es Diffie-Hellman
 * result, which depends only on the responder's key, so one DH (the one the responder does anyway) recovers it;
 * the caller then picks that peer's {@link NoiseIkAuthenticator} and finishes with
 * {@link NoiseIkAuthenticator#respond}. No per-peer crypto attempt is made.
 *
 * <p>Cost control, in order: length and mac1 (keyed by this portal's public key: an off-path sender without it is
 * dropped with no DH), then a shared token bucket bounding the DH work spent on initiations, then (in
 * {@code respond}) the peer's own token bucket. There are two shared buckets: one for initiations from proven
 * sources (links that already carried a peer's authenticated frames; the caller says which) and one for all
 * others. Anyone who knows this portal's public key can send initiations with a valid mac1, from as many
 * addresses as they like, and drain the second; running peers rekey through the first. A key that is not a
 * configured peer's is answered with nothing.
 *
 * <p>Threading: {@link #identify} synchronises on this object (handshakes are rare).
 */
public final class NoiseIkResponder {

    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final byte[] prologue;
    private final Mac1 mac1ForMe;
    private final TokenBucket sharedBucket;
    private final TokenBucket provenBucket;
    /** A proven source's own budget; bounded (least recently used dropped), as sources come and go with paths. */
    private final Map<Object, TokenBucket> perSource = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, TokenBucket> eldest) {
            return size() > MAX_SOURCES;
        }
    };
    /** Initiations per second one proven source may cost (a peer rekeys every 2 minutes per session). */
    static final int PER_SOURCE_PER_SECOND = 4;
    private static final int MAX_SOURCES = 4096;
    private long identified;
    private long rejected;

    /**
     * @param privateKey   this portal's static private key (copied)
     * @param settings     the mode (must match the peers' authenticators)
     * @param sharedPerSecond initiations per second, over all peers, that may cost a DH (burst: twice that)
     */
    public NoiseIkResponder(byte[] privateKey, AuthSettings settings, double sharedPerSecond) {
        this.staticPublic = StaticKeys.publicKey(privateKey);
        this.staticPrivate = privateKey.clone();
        this.prologue = NoiseIkAuthenticator.prologue(settings.mode());
        this.mac1ForMe = new Mac1(staticPublic);
        this.sharedBucket = new TokenBucket(sharedPerSecond, (int) Math.max(1, sharedPerSecond * 2));
        this.provenBucket = new TokenBucket(sharedPerSecond, (int) Math.max(1, sharedPerSecond * 2));
    }

    /** This portal's public key (a copy). */
    byte[] publicKey() {
        return staticPublic.clone();
    }

    /**
     * Checks an initiation frame {@code in[off, off + length)} and recovers the initiator's static key.
     *
     * @return the checked initiation (a copy; {@code in} may be reused at once), or null if it is not one, fails
     *         mac1, exceeds the shared rate, or does not decrypt (count it as HANDSHAKE_REJECTED or MALFORMED)
     */
    Initiation identify(byte[] in, int off, int length, long nowNanos) {
        return identify(in, off, length, nowNanos, null);
    }

    /**
     * As {@link #identify(byte[], int, int, long)}, for an initiation from a proven source: {@code provenSource} is
     * the link it came on, which already carried a peer's authenticated frames (null if not). Such initiations use
     * the proven sources' budget, each source at most {@value #PER_SOURCE_PER_SECOND} per second, so that one
     * peer flooding through its own links cannot use up the others' share either.
     */
    public synchronized Initiation identify(byte[] in, int off, int length, long nowNanos, Object provenSource) {
        if (length != NoiseIkAuthenticator.INIT_LENGTH || off < 0 || in.length - off < length
                || FrameHeader.validate(in, off, length) != FrameType.HANDSHAKE_INIT
                || !mac1ForMe.verify(in, off, NoiseIkAuthenticator.INIT_MAC1)
                || !charge(provenSource, nowNanos)) {
            rejected++;
            return null;
        }
        try {
            Initiation init = NoiseIkAuthenticator.readInitiation(prologue, staticPrivate, staticPublic, in, off);
            if (init == null) {
                rejected++;
            } else {
                identified++;
            }
            return init;
        } catch (GeneralSecurityException e) {
            rejected++;
            return null; // for example a low-order ephemeral key
        }
    }

    private boolean charge(Object provenSource, long nowNanos) {
        if (provenSource == null) {
            return sharedBucket.tryTake(nowNanos);
        }
        TokenBucket own = perSource.computeIfAbsent(provenSource,
                k -> new TokenBucket(PER_SOURCE_PER_SECOND, 2 * PER_SOURCE_PER_SECOND));
        return own.tryTake(nowNanos) && provenBucket.tryTake(nowNanos);
    }

    /** Initiations identified (a static key recovered) so far. */
    synchronized long identified() {
        return identified;
    }

    /** Initiations rejected before any peer's authenticator saw them. */
    synchronized long rejected() {
        return rejected;
    }

    /**
     * An initiation whose mac1 verified and whose initiator's static key was recovered. Immutable to callers.
     */
    public static final class Initiation {
        private final byte[] frame;
        private final NoiseSymmetricState state;
        private final byte[] ephemeral;
        private final byte[] initiatorStatic;

        Initiation(byte[] frame, NoiseSymmetricState state, byte[] ephemeral, byte[] initiatorStatic) {
            this.frame = frame;
            this.state = state;
            this.ephemeral = ephemeral;
            this.initiatorStatic = initiatorStatic;
        }

        /** The initiator's static public key (a copy): which peer this is. */
        public byte[] initiatorStatic() {
            return initiatorStatic.clone();
        }

        byte[] frame() {
            return frame;
        }

        NoiseSymmetricState state() {
            return state;
        }

        byte[] ephemeral() {
            return ephemeral;
        }

        /** A copy whose handshake state may be advanced without touching this one. */
        Initiation copy() {
            return new Initiation(frame, state.copy(), ephemeral, initiatorStatic);
        }
    }
}
