package dev.multipath.auth;

import java.util.concurrent.TimeUnit;

/**
 * Tunables of {@link NoiseIkAuthenticator}. Immutable; start from {@link #defaults(AuthMode)} and change fields
 * with the {@code with...} methods.
 *
 * @param mode                  what the per-frame AEAD protects
 * @param rekeyAfterNanos       the local portal starts a new handshake when its sending session is this old (120 s)
 * @param rejectAfterNanos      a session older than this is never used to seal or open (180 s): bounds how long a
 *                              captured frame can be worth anything, even if rekeying keeps failing
 * @param rekeyAfterMessages    the local portal rekeys after sealing this many frames in one session
 * @param retryNanos            interval between handshake initiations while one is unanswered (1 s)
 * @param replayWindow          frames: the replay window; size it as packets per second x delay spread between
 *                              paths, with a margin (default 8192: 100 kpps x 80 ms)
 * @param freshnessMillis       a frame whose one-way delay exceeds the smallest one seen in its session by more
 *                              than this is dropped as STALE; 0 turns the check off (see docs/security.md)
 * @param initiationsPerSecond  the remote portal spends Diffie-Hellman work on at most this many initiations per
 *                              second on average ...
 * @param initiationBurst       ... and this many at once
 * @param aead                  which AES-GCM implementation seals and opens frames (default {@code AUTO}: OpenSSL
 *                              when it loads, else the JCE)
 */
public record AuthSettings(AuthMode mode, long rekeyAfterNanos, long rejectAfterNanos, long rekeyAfterMessages,
        long retryNanos, int replayWindow, int freshnessMillis, double initiationsPerSecond, int initiationBurst,
        AeadImplementation aead) {

    /** The defaults (WireGuard's timers) for {@code mode}. */
    public static AuthSettings defaults(AuthMode mode) {
        return new AuthSettings(mode, TimeUnit.SECONDS.toNanos(120), TimeUnit.SECONDS.toNanos(180), 1L << 30,
                TimeUnit.SECONDS.toNanos(1), ReplayWindow.DEFAULT_SIZE, 3000, 20, 10, AeadImplementation.AUTO);
    }

    public AuthSettings {
        if (mode == null || aead == null) {
            throw new IllegalArgumentException("mode and aead are required");
        }
        if (rekeyAfterNanos <= 0 || rejectAfterNanos <= rekeyAfterNanos) {
            throw new IllegalArgumentException("need 0 < rekeyAfter < rejectAfter");
        }
        if (rekeyAfterMessages <= 0 || retryNanos <= 0 || replayWindow < 64 || freshnessMillis < 0
                || freshnessMillis > 30_000 || initiationsPerSecond <= 0 || initiationBurst < 1) {
            throw new IllegalArgumentException("invalid authenticator settings: " + this);
        }
    }

    public AuthSettings withMode(AuthMode m) {
        return new AuthSettings(m, rekeyAfterNanos, rejectAfterNanos, rekeyAfterMessages, retryNanos, replayWindow,
                freshnessMillis, initiationsPerSecond, initiationBurst, aead);
    }

    public AuthSettings withRekey(long afterNanos, long rejectNanos, long afterMessages) {
        return new AuthSettings(mode, afterNanos, rejectNanos, afterMessages, retryNanos, replayWindow,
                freshnessMillis, initiationsPerSecond, initiationBurst, aead);
    }

    public AuthSettings withReplayWindow(int frames) {
        return new AuthSettings(mode, rekeyAfterNanos, rejectAfterNanos, rekeyAfterMessages, retryNanos, frames,
                freshnessMillis, initiationsPerSecond, initiationBurst, aead);
    }

    public AuthSettings withFreshnessMillis(int millis) {
        return new AuthSettings(mode, rekeyAfterNanos, rejectAfterNanos, rekeyAfterMessages, retryNanos, replayWindow,
                millis, initiationsPerSecond, initiationBurst, aead);
    }

    public AuthSettings withInitiationLimit(double perSecond, int burst) {
        return new AuthSettings(mode, rekeyAfterNanos, rejectAfterNanos, rekeyAfterMessages, retryNanos, replayWindow,
                freshnessMillis, perSecond, burst, aead);
    }

    public AuthSettings withAead(AeadImplementation a) {
        return new AuthSettings(mode, rekeyAfterNanos, rejectAfterNanos, rekeyAfterMessages, retryNanos, replayWindow,
                freshnessMillis, initiationsPerSecond, initiationBurst, a);
    }
}
