package dev.multipath.auth;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

/**
 * One session made by one handshake: a key per direction, both receiver indexes, its key phase, its counters
 * and its replay state. Immutable apart from the atomic send counter, the replay window and freshness state,
 * and the confirmation flag, all safe for concurrent use.
 */
final class Session {

    final int phase;
    /** Index the peer puts in frames it sends us (we chose it). */
    final int localIndex;
    /** Index we put in frames we send (the peer chose it). */
    final int remoteIndex;
    final SecretKeySpec sendKey;
    final SecretKeySpec receiveKey;
    final long createdNanos;
    final AtomicLong sendCounter = new AtomicLong();
    final ReplayWindow replay;
    final FreshnessCheck freshness;
    /** Whether a frame under this session has been received (the responder sends under it only then). */
    final AtomicBoolean confirmed = new AtomicBoolean();

    Session(int phase, int localIndex, int remoteIndex, byte[] sendKey, byte[] receiveKey, long createdNanos,
            AuthSettings settings) {
        this.phase = phase;
        this.localIndex = localIndex;
        this.remoteIndex = remoteIndex;
        this.sendKey = new SecretKeySpec(sendKey, "AES");
        this.receiveKey = new SecretKeySpec(receiveKey, "AES");
        this.createdNanos = createdNanos;
        this.replay = new ReplayWindow(settings.replayWindow());
        this.freshness = new FreshnessCheck(settings.freshnessMillis());
    }

    boolean expired(long nowNanos, long rejectAfterNanos) {
        return nowNanos - createdNanos >= rejectAfterNanos;
    }
}
