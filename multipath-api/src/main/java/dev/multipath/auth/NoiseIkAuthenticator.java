package dev.multipath.auth;

import com.google.crypto.tink.subtle.X25519;
import dev.multipath.api.Authenticator;
import dev.multipath.api.DropReason;
import dev.multipath.api.Role;
import dev.multipath.frame.FrameHeader;
import dev.multipath.frame.FrameType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * The real {@link Authenticator}: a handshake modelled on Noise IK ({@code Noise_IK_25519_AESGCM_SHA256}, as
 * WireGuard) that authenticates both static X25519 keys and gives forward secrecy, then per-frame AES-GCM with a
 * 96-bit tag and the frame counter as nonce, a replay window and a freshness check per session.
 *
 * <p>Roles: the {@link Role#LOCAL} portal initiates ({@link #pollHandshake} returns an initiation when there is
 * no session, when rekey is due, after 15 s in which no frame verified (the remote portal may have restarted),
 * and every retry interval until answered); the {@link Role#REMOTE} portal answers
 * valid initiations only, and never answers anything else. Each side picks a random receiver index for each
 * session; the initiation carries the new session's key phase (alternating 0/1), so frames under the previous
 * session keep being accepted while the new one starts: no gap on rekey. The responder keeps sending under the
 * old session until the first frame under the new one arrives (the initiator should send a KEEPALIVE as soon
 * as a session is made: {@link #onHandshake} returned 0 for a HANDSHAKE_RESPONSE and {@link #hasSession()}).
 *
 * <p>Wire layout after the 12-byte header (path id 0, counter 0):
 * <pre>
 * HANDSHAKE_INIT (138 bytes):     sender index 2 | ephemeral 32 | static 32+16 | timestamp 12+16 | mac1 16
 * HANDSHAKE_RESPONSE (78 bytes):  sender index 2 | ephemeral 32 | empty 0+16 | mac1 16
 * </pre>
 * The header and sender index are mixed into the handshake hash. mac1 is keyed by the receiver's public key
 * ({@link Mac1}). The timestamp is the initiator's wall clock (8 bytes seconds, 4 bytes nanoseconds) and must
 * increase from one accepted initiation to the next.
 *
 * <p>Threading: {@link #seal}, {@link #open} and {@link #hasSession} are lock-free apart from the replay
 * window's few-instruction monitor and allocate nothing of their own (JCE's per-frame {@code init} allocates;
 * see SealOpenBenchmark). Handshake methods synchronise on this object.
 *
 * <p>Clocks: {@code nanoClock} must be the engine's clock (the one whose readings it passes as
 * {@code nowNanos}; a simulated clock in simulations): {@link #seal} reads it to stamp the header timestamp and
 * to check the session's age. {@code wallClock} gives the handshake timestamps.
 */
public final class NoiseIkAuthenticator implements Authenticator {

    /** Bytes of tag on every frame ({@link #tagLength()}). */
    public static final int TAG_LENGTH = PacketCipher.TAG_LENGTH;
    /** Length of a HANDSHAKE_INIT frame. */
    static final int INIT_LENGTH = 138;
    /** Length of a HANDSHAKE_RESPONSE frame. */
    static final int RESPONSE_LENGTH = 78;
    /** A session never seals past this counter (well below 2^32, so nonces never repeat). */
    static final long REJECT_AFTER_MESSAGES = FrameHeader.MAX_COUNTER - (1L << 16);
    /**
     * The local portal starts a new handshake when nothing has verified for this long (WireGuard's 10 s keepalive
     * plus 5 s rekey timeout): the remote portal may have restarted and lost the session.
     */
    static final long SILENCE_REKEY_NANOS = 15_000_000_000L;

    private static final int SENDER_INDEX = FrameHeader.LENGTH;
    private static final int EPHEMERAL = SENDER_INDEX + 2;
    private static final int INIT_STATIC = EPHEMERAL + 32;
    private static final int INIT_TIMESTAMP = INIT_STATIC + 32 + NoiseSymmetricState.AEAD_TAG;
    static final int INIT_MAC1 = INIT_TIMESTAMP + 12 + NoiseSymmetricState.AEAD_TAG;
    private static final int RESPONSE_EMPTY = EPHEMERAL + 32;
    private static final int RESPONSE_MAC1 = RESPONSE_EMPTY + NoiseSymmetricState.AEAD_TAG;
    private static final int DROP_MALFORMED = Authenticator.dropCode(DropReason.MALFORMED);
    private static final int DROP_AUTH = Authenticator.dropCode(DropReason.AUTHENTICATION);
    private static final int DROP_REPLAY = Authenticator.dropCode(DropReason.REPLAY);
    private static final int DROP_STALE = Authenticator.dropCode(DropReason.STALE);
    private static final int DROP_NO_SESSION = Authenticator.dropCode(DropReason.NO_SESSION);
    private static final int DROP_REJECTED = Authenticator.dropCode(DropReason.HANDSHAKE_REJECTED);
    private static final int DROP_UNEXPECTED = Authenticator.dropCode(DropReason.UNEXPECTED_TYPE);

    private final Role role;
    private final AuthSettings settings;
    private final byte[] staticPrivate;
    private final byte[] staticPublic;
    private final byte[] peerPublic;
    /** DH(s, rs): constant for the pair of static keys, computed once. */
    private final byte[] staticShared;
    private final byte[] prologue;
    private final Mac1 mac1ForPeer;
    private final Mac1 mac1ForMe;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final SecureRandom random = new SecureRandom();
    private final PacketCipher cipher;
    /** DH budget for initiations from unproven sources (and, on a hub, this peer's own budget). */
    private final TokenBucket initiationBucket;
    /** DH budget for initiations from links that already carried authenticated frames: a flood cannot drain it. */
    private final TokenBucket provenInitiationBucket;

    /** Session that {@link #seal} uses. */
    private volatile Session send;
    /** Sessions that {@link #open} accepts, by key phase. */
    private volatile Session receive0;
    private volatile Session receive1;
    /** When a frame last verified (coarse: written at most every 100 ms, to spare the cache line). */
    private volatile long lastReceivedNanos;

    // Guarded by this.
    private Session awaitingConfirmation;
    private PendingInitiation pending;
    private long lastSentTimestampNanos = Long.MIN_VALUE;
    private byte[] lastAcceptedTimestamp;
    /** Initiations that passed mac1 and the rate limit, so cost Diffie-Hellman work. */
    private long initiationsProcessed;
    /** Multi-peer remote portal: where receiver indices come from, and this peer's token in it. */
    private SessionIndexTable indexTable;
    private Object indexOwner;

    /**
     * @param role          which end this portal is (LOCAL initiates)
     * @param privateKey    this portal's static X25519 private key (32 bytes; copied)
     * @param peerPublicKey the peer's static public key (32 bytes; copied): the only key accepted
     * @param settings      mode and tunables
     * @param wallClock     wall clock for handshake timestamps (must not go back across restarts)
     * @param nanoClock     the engine's monotonic clock in nanoseconds
     * @throws IllegalArgumentException if a key has the wrong length or the peer key is a low-order point
     */
    public NoiseIkAuthenticator(Role role, byte[] privateKey, byte[] peerPublicKey, AuthSettings settings,
            Clock wallClock, LongSupplier nanoClock) {
        if (role == null || settings == null || wallClock == null || nanoClock == null) {
            throw new IllegalArgumentException("role, settings and clocks are required");
        }
        this.role = role;
        this.settings = settings;
        this.staticPublic = StaticKeys.publicKey(privateKey);
        this.staticPrivate = privateKey.clone();
        StaticKeys.encode(peerPublicKey); // length check
        this.peerPublic = peerPublicKey.clone();
        try {
            this.staticShared = NoiseSymmetricState.dh(staticPrivate, peerPublic);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("peer public key is not usable: " + e.getMessage(), e);
        }
        this.prologue = prologue(settings.mode());
        this.mac1ForPeer = new Mac1(peerPublic);
        this.mac1ForMe = new Mac1(staticPublic);
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
        this.cipher = new PacketCipher(settings.mode(), settings.aead());
        this.initiationBucket = new TokenBucket(settings.initiationsPerSecond(), settings.initiationBurst());
        this.provenInitiationBucket = new TokenBucket(settings.initiationsPerSecond(), settings.initiationBurst());
    }

    /** With default settings for {@code mode}, the system wall clock and {@link System#nanoTime()}. */
    public NoiseIkAuthenticator(Role role, byte[] privateKey, byte[] peerPublicKey, AuthMode mode) {
        this(role, privateKey, peerPublicKey, AuthSettings.defaults(mode), Clock.systemUTC(), System::nanoTime);
    }

    /** The handshake prologue: binds the protocol version and the mode, so portals that differ never agree. */
    static byte[] prologue(AuthMode mode) {
        return ("multipath v1 " + mode.configName()).getBytes(StandardCharsets.US_ASCII);
    }

    /** This portal's static public key (a copy). */
    byte[] publicKey() {
        return staticPublic.clone();
    }

    AuthSettings settings() {
        return settings;
    }

    @Override
    public int tagLength() {
        return PacketCipher.TAG_LENGTH;
    }

    @Override
    public boolean hasSession() {
        Session s = send;
        return s != null && !s.expired(nanoClock.getAsLong(), settings.rejectAfterNanos());
    }

    // ---------------------------------------------------------------- data plane

    @Override
    public int seal(byte[] buf, int off, int payloadLength) {
        if (payloadLength < 0 || off < 0 || buf.length - off < FrameHeader.LENGTH + payloadLength + tagLength()) {
            return DROP_MALFORMED;
        }
        long now = nanoClock.getAsLong();
        Session s = send;
        if (s == null || s.expired(now, settings.rejectAfterNanos())) {
            return DROP_NO_SESSION;
        }
        long counter = s.sendCounter.getAndIncrement();
        if (counter > REJECT_AFTER_MESSAGES) {
            return DROP_NO_SESSION;
        }
        FrameHeader.setKeyPhase(buf, off, s.phase);
        FrameHeader.setReceiverIndex(buf, off, s.remoteIndex);
        FrameHeader.setCounter(buf, off, counter);
        int ms = FreshnessCheck.headerMillis(now);
        buf[off + 10] = (byte) (ms >>> 8);
        buf[off + 11] = (byte) ms;
        return cipher.seal(s.sendKey, counter, buf, off, payloadLength);
    }

    @Override
    public int open(byte[] buf, int off, int length, long nowNanos) {
        if (length < FrameHeader.LENGTH + PacketCipher.TAG_LENGTH || off < 0 || buf.length - off < length
                || FrameHeader.version(buf, off) != FrameHeader.VERSION) {
            return DROP_MALFORMED;
        }
        Session s = FrameHeader.keyPhase(buf, off) == 0 ? receive0 : receive1;
        if (s == null || FrameHeader.receiverIndex(buf, off) != s.localIndex
                || s.expired(nowNanos, settings.rejectAfterNanos())) {
            return DROP_NO_SESSION;
        }
        long counter = FrameHeader.counter(buf, off);
        if (s.replay.tooOld(counter)) {
            return DROP_REPLAY; // cheap: no AEAD work for frames below the window
        }
        if (!cipher.open(s.receiveKey, counter, buf, off, length)) {
            return DROP_AUTH;
        }
        if (!s.freshness.isFresh(FrameHeader.timestamp(buf, off), nowNanos)) {
            return DROP_STALE;
        }
        if (!s.replay.accept(counter)) {
            return DROP_REPLAY;
        }
        if (nowNanos - lastReceivedNanos > 100_000_000L) {
            lastReceivedNanos = nowNanos;
        }
        if (!s.confirmed.get() && s.confirmed.compareAndSet(false, true)) {
            confirm(s);
        }
        return length - FrameHeader.LENGTH - PacketCipher.TAG_LENGTH;
    }

    /** Responder: the peer has used the new session, so it has its keys: send under it from now on. */
    private synchronized void confirm(Session s) {
        if (awaitingConfirmation == s) {
            send = s;
            awaitingConfirmation = null;
        }
    }

    // ---------------------------------------------------------------- handshake

    @Override
    public synchronized int pollHandshake(byte[] out, int off, long nowNanos) {
        if (role != Role.LOCAL) {
            return 0;
        }
        if (pending != null) {
            if (nowNanos - pending.sentNanos < settings.retryNanos()) {
                return 0;
            }
        } else if (!rekeyDue(send, nowNanos)) {
            return 0;
        }
        if (off < 0 || out.length - off < INIT_LENGTH) {
            return DROP_MALFORMED;
        }
        try {
            pending = writeInitiation(out, off, nowNanos);
            return INIT_LENGTH;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("handshake initiation failed", e);
        }
    }

    private boolean rekeyDue(Session s, long nowNanos) {
        return s == null || nowNanos - s.createdNanos >= settings.rekeyAfterNanos()
                || s.sendCounter.get() >= settings.rekeyAfterMessages()
                || (nowNanos - s.createdNanos >= SILENCE_REKEY_NANOS
                        && nowNanos - lastReceivedNanos >= SILENCE_REKEY_NANOS);
    }

    private PendingInitiation writeInitiation(byte[] out, int off, long nowNanos) throws GeneralSecurityException {
        Session current = send;
        int phase = current == null ? 0 : 1 - current.phase;
        int index = newLocalIndex(phase);
        FrameHeader.write(out, off, FrameType.HANDSHAKE_INIT, phase, 0, 0, 0, FreshnessCheck.headerMillis(nowNanos));
        writeIndex(out, off + SENDER_INDEX, index);
        NoiseSymmetricState st = new NoiseSymmetricState(prologue);
        st.mixHash(peerPublic, 0, 32);
        st.mixHash(out, off, EPHEMERAL);
        byte[] ephemeral = X25519.generatePrivateKey();
        byte[] ephemeralPublic = X25519.publicFromPrivate(ephemeral);
        System.arraycopy(ephemeralPublic, 0, out, off + EPHEMERAL, 32);
        st.mixHash(ephemeralPublic, 0, 32);
        st.mixDh(ephemeral, peerPublic); // es
        st.encryptAndHash(staticPublic, out, off + INIT_STATIC);
        st.mixKey(staticShared); // ss
        st.encryptAndHash(nextTimestamp(), out, off + INIT_TIMESTAMP);
        mac1ForPeer.write(out, off, INIT_MAC1);
        return new PendingInitiation(st, ephemeral, index, phase, nowNanos);
    }

    @Override
    public int onHandshake(byte[] in, int inOff, int length, byte[] out, int outOff, long nowNanos) {
        return onHandshake(in, inOff, length, out, outOff, nowNanos, false);
    }

    @Override
    public synchronized int onHandshake(byte[] in, int inOff, int length, byte[] out, int outOff, long nowNanos,
            boolean provenSource) {
        if (inOff < 0 || length < 0 || in.length - inOff < length) {
            return DROP_MALFORMED;
        }
        FrameType type = FrameHeader.validate(in, inOff, length);
        if (type == null) {
            return DROP_MALFORMED;
        }
        try {
            if (type == FrameType.HANDSHAKE_INIT && role == Role.REMOTE) {
                return onInitiation(in, inOff, length, out, outOff, nowNanos, provenSource);
            }
            if (type == FrameType.HANDSHAKE_RESPONSE && role == Role.LOCAL) {
                return onResponse(in, inOff, length, nowNanos);
            }
            return DROP_UNEXPECTED;
        } catch (GeneralSecurityException e) {
            return DROP_REJECTED; // for example a low-order ephemeral key
        }
    }

    private int onInitiation(byte[] in, int off, int length, byte[] out, int outOff, long nowNanos,
            boolean provenSource) throws GeneralSecurityException {
        if (length != INIT_LENGTH) {
            return DROP_MALFORMED;
        }
        // Cheap checks first: mac1 (needs our public key), then the rate limit of the source's kind (a flood from
        // new addresses cannot use up the budget of the links our peer already proved), and only then any DH.
        TokenBucket bucket = provenSource ? provenInitiationBucket : initiationBucket;
        if (!mac1ForMe.verify(in, off, INIT_MAC1) || !bucket.tryTake(nowNanos)) {
            return DROP_REJECTED;
        }
        initiationsProcessed++;
        NoiseIkResponder.Initiation init = readInitiation(prologue, staticPrivate, staticPublic, in, off);
        if (init == null) {
            return DROP_REJECTED;
        }
        return respondTo(init, out, outOff, nowNanos);
    }

    /**
     * The first half of answering an initiation, shared with {@link NoiseIkResponder}: the es DH and the
     * decryption of the initiator's static key. Null if that does not decrypt.
     */
    static NoiseIkResponder.Initiation readInitiation(byte[] prologue, byte[] staticPrivate, byte[] staticPublic,
            byte[] in, int off) throws GeneralSecurityException {
        NoiseSymmetricState st = new NoiseSymmetricState(prologue);
        st.mixHash(staticPublic, 0, 32);
        st.mixHash(in, off, EPHEMERAL);
        byte[] initiatorEphemeral = Arrays.copyOfRange(in, off + EPHEMERAL, off + EPHEMERAL + 32);
        st.mixHash(initiatorEphemeral, 0, 32);
        st.mixDh(staticPrivate, initiatorEphemeral); // es
        byte[] initiatorStatic = st.decryptAndHash(in, off + INIT_STATIC, 32);
        if (initiatorStatic == null) {
            return null;
        }
        return new NoiseIkResponder.Initiation(Arrays.copyOfRange(in, off, off + INIT_LENGTH), st,
                initiatorEphemeral, initiatorStatic);
    }

    /**
     * Remote portal serving many peers: answers an initiation that {@link NoiseIkResponder#identify} has checked
     * (mac1, shared rate limit) and attributed to this authenticator's peer. Applies this peer's own rate limit,
     * so one peer's flood of initiations never uses up another's.
     *
     * @return the response's length (written at {@code out[outOff]}), or a negative drop code
     */
    public synchronized int respond(NoiseIkResponder.Initiation init, byte[] out, int outOff, long nowNanos) {
        if (role != Role.REMOTE) {
            return DROP_UNEXPECTED;
        }
        if (!initiationBucket.tryTake(nowNanos)) {
            return DROP_REJECTED;
        }
        initiationsProcessed++;
        try {
            return respondTo(init.copy(), out, outOff, nowNanos);
        } catch (GeneralSecurityException e) {
            return DROP_REJECTED;
        }
    }

    /** The second half: checks the key and timestamp, builds the response and installs the session. */
    private int respondTo(NoiseIkResponder.Initiation init, byte[] out, int outOff, long nowNanos)
            throws GeneralSecurityException {
        byte[] in = init.frame();
        int off = 0;
        NoiseSymmetricState st = init.state();
        byte[] initiatorEphemeral = init.ephemeral();
        if (!MessageDigest.isEqual(init.initiatorStatic(), peerPublic)) {
            return DROP_REJECTED;
        }
        st.mixKey(staticShared); // ss
        byte[] timestamp = st.decryptAndHash(in, off + INIT_TIMESTAMP, 12);
        if (timestamp == null) {
            return DROP_REJECTED;
        }
        if (lastAcceptedTimestamp != null && Arrays.compareUnsigned(timestamp, lastAcceptedTimestamp) <= 0) {
            return DROP_REJECTED; // a replayed (or reordered old) initiation
        }
        if (outOff < 0 || out.length - outOff < RESPONSE_LENGTH) {
            return DROP_MALFORMED;
        }
        int phase = FrameHeader.keyPhase(in, off);
        int initiatorIndex = readIndex(in, off + SENDER_INDEX);
        int index = newLocalIndex(phase);
        boolean installed = false;
        try {
            FrameHeader.write(out, outOff, FrameType.HANDSHAKE_RESPONSE, phase, 0, initiatorIndex, 0,
                    FreshnessCheck.headerMillis(nowNanos));
            writeIndex(out, outOff + SENDER_INDEX, index);
            st.mixHash(out, outOff, EPHEMERAL);
            byte[] ephemeral = X25519.generatePrivateKey();
            byte[] ephemeralPublic = X25519.publicFromPrivate(ephemeral);
            System.arraycopy(ephemeralPublic, 0, out, outOff + EPHEMERAL, 32);
            st.mixHash(ephemeralPublic, 0, 32);
            st.mixDh(ephemeral, initiatorEphemeral); // ee
            st.mixDh(ephemeral, peerPublic); // se
            st.encryptAndHash(new byte[0], out, outOff + RESPONSE_EMPTY);
            mac1ForPeer.write(out, outOff, RESPONSE_MAC1);
            byte[][] keys = st.split();
            Session s = new Session(phase, index, initiatorIndex, keys[1], keys[0], nowNanos, settings);
            lastAcceptedTimestamp = timestamp;
            install(s);
            installed = true;
            awaitingConfirmation = s;
            return RESPONSE_LENGTH;
        } finally {
            if (!installed && indexTable != null) {
                indexTable.release(index, indexOwner);
            }
        }
    }

    private int onResponse(byte[] in, int off, int length, long nowNanos) throws GeneralSecurityException {
        if (length != RESPONSE_LENGTH) {
            return DROP_MALFORMED;
        }
        PendingInitiation p = pending;
        if (p == null || FrameHeader.receiverIndex(in, off) != p.localIndex || FrameHeader.keyPhase(in, off) != p.phase
                || !mac1ForMe.verify(in, off, RESPONSE_MAC1)) {
            return DROP_REJECTED;
        }
        NoiseSymmetricState st = p.state.copy(); // a forged response must not spoil the pending state
        st.mixHash(in, off, EPHEMERAL);
        int responderIndex = readIndex(in, off + SENDER_INDEX);
        byte[] responderEphemeral = Arrays.copyOfRange(in, off + EPHEMERAL, off + EPHEMERAL + 32);
        st.mixHash(responderEphemeral, 0, 32);
        st.mixDh(p.ephemeral, responderEphemeral); // ee
        st.mixDh(staticPrivate, responderEphemeral); // se
        if (st.decryptAndHash(in, off + RESPONSE_EMPTY, 0) == null) {
            return DROP_REJECTED;
        }
        byte[][] keys = st.split();
        Session s = new Session(p.phase, p.localIndex, responderIndex, keys[0], keys[1], nowNanos, settings);
        s.confirmed.set(true);
        install(s);
        send = s;
        lastReceivedNanos = nowNanos; // the response itself; silence is counted from here
        pending = null;
        return 0;
    }

    /** Puts {@code s} in its phase's receive slot; the other slot keeps the previous session for frames in flight. */
    private void install(Session s) {
        Session old = s.phase == 0 ? receive0 : receive1;
        if (s.phase == 0) {
            receive0 = s;
        } else {
            receive1 = s;
        }
        if (old != null && indexTable != null && old.localIndex != s.localIndex) {
            indexTable.release(old.localIndex, indexOwner); // frames to the old index now find no owner
        }
    }

    /**
     * Remote portal serving many peers: takes receiver indices from {@code table} (unique across peers) under
     * {@code owner}, so that the portal finds this peer from a frame's index. Call before the first handshake.
     */
    public synchronized void useIndexTable(SessionIndexTable table, Object owner) {
        if (table == null || owner == null) {
            throw new IllegalArgumentException("table and owner are required");
        }
        this.indexTable = table;
        this.indexOwner = owner;
    }

    /** The peer's static public key (a copy). */
    byte[] peerPublicKey() {
        return peerPublic.clone();
    }

    /** A random non-zero index, different from the other phase's session so frames are never ambiguous. */
    private int newLocalIndex(int phase) {
        if (indexTable != null) {
            return indexTable.allocate(indexOwner); // unique across every peer of the portal
        }
        Session other = phase == 0 ? receive1 : receive0;
        while (true) {
            int index = random.nextInt(1 << 16);
            if (index != 0 && (other == null || other.localIndex != index)) {
                return index;
            }
        }
    }

    /** Wall-clock timestamp, strictly increasing even if the clock stalls or steps back within this process. */
    private byte[] nextTimestamp() {
        Instant now = wallClock.instant();
        long nanos = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastSentTimestampNanos + 1);
        lastSentTimestampNanos = nanos;
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int nano = (int) Math.floorMod(nanos, 1_000_000_000L);
        byte[] t = new byte[12];
        for (int i = 0; i < 8; i++) {
            t[i] = (byte) (seconds >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            t[8 + i] = (byte) (nano >>> (24 - 8 * i));
        }
        return t;
    }

    private static void writeIndex(byte[] b, int at, int index) {
        b[at] = (byte) (index >>> 8);
        b[at + 1] = (byte) index;
    }

    private static int readIndex(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    // ---------------------------------------------------------------- for tests

    /** Key phase of the sending session, or -1 if none. */
    int sendPhase() {
        Session s = send;
        return s == null ? -1 : s.phase;
    }

    synchronized long initiationsProcessed() {
        return initiationsProcessed;
    }

    synchronized boolean handshakePending() {
        return pending != null;
    }

    /** An initiation sent and not yet answered. */
    private record PendingInitiation(NoiseSymmetricState state, byte[] ephemeral, int localIndex, int phase,
            long sentNanos) {
    }
}
