package dev.multipath.cc;

/**
 * Liveness of one path, seen from its sender. Proof of life is an ACK or a PROBE_REPLY from the peer (either
 * shows that our frames get through and the peer's come back). The path is declared dead when something sent on
 * it (a data frame or a probe) has gone unanswered for {@code max(deadAfter, 2 x srtt)}, with nothing heard
 * since; it is re-admitted on the first proof of life after that.
 *
 * <p>Probing: while ACKs of data keep arriving no probe is needed. A probe is due when nothing was heard and
 * nothing probed for {@code probeInterval} (path carrying traffic) or {@code idleProbeInterval} (no data sent
 * for {@code idleAfter}); a dead path is probed every {@code deadProbeInterval}. So a path carrying traffic that
 * turns into a black hole is declared dead {@code deadAfter} after the first unanswered frame, and an idle one
 * at most {@code idleProbeInterval + deadAfter} after it failed.
 *
 * <p>Silence: long before that deadline a busy path is <em>silent</em> when a full-size data frame has gone
 * unanswered for longer than its ACK could take ({@link #setSilenceAfter}: about a retransmission timeout, see
 * {@code PathController}), with nothing heard since. A silent path is probed at once and, while another path is
 * heard, takes no new data (the engine decides that: {@code PortalCore.updateSilence}); the first proof of life
 * ends the silence. Measured (lab {@code blackhole}, 2 x 10 Mbit, near-zero RTT): between the cut and the death
 * 300 ms later the cut path kept sending, because frames the loss timer gave up on freed its window, and 18 frames
 * went into the hole after the cut, among them the inner TCP's retransmissions; the inner TCP then waited for its
 * retransmission timer (200 ms with nothing sent), the 0.5 s interval after the cut fell below half the surviving
 * link's rate, and with a second timeout the stall was 1.0-1.5 s.
 *
 * <p>Threading: not thread-safe (the path's sender-side lock), except {@link #isAliveView()} which any thread
 * may read. No allocation.
 */
final class PathHealth {

    private static final long NONE = Long.MIN_VALUE;

    private final long probeIntervalNanos;
    private final long idleProbeIntervalNanos;
    private final long idleAfterNanos;
    private final long deadAfterNanos;
    private final long deadProbeIntervalNanos;

    private volatile boolean alive = true;
    private long lastProofNanos;
    private long oldestUnansweredNanos = NONE;
    /** Send time of the oldest full-size data frame since the last proof of life; NONE if none. */
    private long oldestUnansweredFullNanos = NONE;
    /** Send time of the oldest data frame of any size since the last proof of life; NONE if none. */
    private long oldestUnansweredDataNanos = NONE;
    /** How long a full frame may go unanswered before the path counts as silent; 0: not yet known (no RTT). */
    private long silenceAfterNanos;
    /** The same for a small frame, whose ACK the peer may hold longer. */
    private long smallSilenceAfterNanos;
    private volatile boolean silent;
    private long silences;
    private long lastProbeSentNanos = NONE;
    private long lastDataSentNanos = NONE;
    private long probeSequence;
    private long lastAnsweredSequence;
    private long deaths;
    private long revivals;
    private long probesSent;
    private long repliesAccepted;
    private long repliesRejected;

    /** All durations in nanoseconds; {@code nowNanos} starts the clock (the path counts as alive). */
    PathHealth(long probeIntervalNanos, long idleProbeIntervalNanos, long idleAfterNanos,
            long deadAfterNanos, long deadProbeIntervalNanos, long nowNanos) {
        this.probeIntervalNanos = probeIntervalNanos;
        this.idleProbeIntervalNanos = idleProbeIntervalNanos;
        this.idleAfterNanos = idleAfterNanos;
        this.deadAfterNanos = deadAfterNanos;
        this.deadProbeIntervalNanos = deadProbeIntervalNanos;
        this.lastProofNanos = nowNanos;
    }

    /**
     * A data frame was sent on the path.
     *
     * @param full whether it is a full-size frame (the peer acknowledges those within its short ACK delay)
     */
    void onDataSent(long nowNanos, boolean full) {
        lastDataSentNanos = nowNanos;
        if (oldestUnansweredNanos == NONE) {
            oldestUnansweredNanos = nowNanos;
        }
        if (full && oldestUnansweredFullNanos == NONE) {
            oldestUnansweredFullNanos = nowNanos;
        }
        if (oldestUnansweredDataNanos == NONE) {
            oldestUnansweredDataNanos = nowNanos;
        }
    }

    /**
     * How long a full-size frame, and a small one, may go unanswered before the path counts as silent (0 turns
     * silence off). The caller keeps them current from the RTT estimate. Small frames matter: a portal that only
     * forwards the inner TCP's ACKs on a path sends nothing else there, and measured (lab {@code blackhole} inbound)
     * those ACKs went into the hole for the whole 300 ms until death when only full frames counted, and the inner
     * sender, hearing nothing, waited for its retransmission timer.
     */
    void setSilenceAfter(long fullNanos, long smallNanos) {
        silenceAfterNanos = fullNanos;
        smallSilenceAfterNanos = smallNanos;
    }

    /** When the path turns silent if nothing is heard before, {@link Long#MAX_VALUE} if it cannot. */
    long silenceDeadline() {
        if (!alive || silenceAfterNanos <= 0) {
            return Long.MAX_VALUE;
        }
        long full = oldestUnansweredFullNanos == NONE ? Long.MAX_VALUE : oldestUnansweredFullNanos + silenceAfterNanos;
        long small = oldestUnansweredDataNanos == NONE ? Long.MAX_VALUE
                : oldestUnansweredDataNanos + smallSilenceAfterNanos;
        return Math.min(full, small);
    }

    /**
     * Halfway between the send time of the frame whose overdue ACK makes (or will make) the path silent and the
     * silence itself; {@link Long#MAX_VALUE} if it cannot turn silent. Another path heard after this time shows that
     * the peer, and this portal's own receive thread, kept working while this path said nothing.
     */
    long silenceMidpoint() {
        long deadline = silenceDeadline();
        return deadline == Long.MAX_VALUE ? deadline : deadline - silenceAfterNanos / 2;
    }

    /** Whether the path is silent now (alive, but a full frame's ACK is overdue); counts each new silence. */
    boolean isSilent(long nowNanos) {
        long deadline = silenceDeadline();
        boolean s = deadline != Long.MAX_VALUE && nowNanos - deadline >= 0;
        if (s != silent) {
            if (s) {
                silences++;
            }
            silent = s;
        }
        return s;
    }

    /** The last value {@link #isSilent(long)} computed, cleared by proof of life; any thread may read it. */
    boolean isSilentView() {
        return silent;
    }

    /** Times the path turned silent. */
    long silences() {
        return silences;
    }

    /**
     * Proof of life: an ACK from the peer for this path, or an accepted probe reply.
     *
     * @return true if this re-admitted a dead path
     */
    boolean onProof(long nowNanos) {
        lastProofNanos = nowNanos;
        oldestUnansweredNanos = NONE;
        oldestUnansweredFullNanos = NONE;
        oldestUnansweredDataNanos = NONE;
        if (silent) {
            silent = false;
        }
        if (!alive) {
            alive = true;
            revivals++;
            return true;
        }
        return false;
    }

    /**
     * Whether the path is alive, declaring it dead if its deadline passed.
     *
     * @param smoothedRttNanos the path's smoothed RTT, so that slow paths get a longer deadline
     */
    boolean isAlive(long nowNanos, long smoothedRttNanos) {
        if (alive && oldestUnansweredNanos != NONE
                && nowNanos - oldestUnansweredNanos >= Math.max(deadAfterNanos, 2 * smoothedRttNanos)) {
            alive = false;
            deaths++;
            silent = false;
        }
        return alive;
    }

    /** The last value {@link #isAlive(long, long)} computed; for other threads (scheduler, status). */
    boolean isAliveView() {
        return alive;
    }

    /** Whether a probe should be sent now. */
    boolean probeDue(long nowNanos) {
        return nowNanos >= nextProbeTime(nowNanos);
    }

    /** When the next probe falls due (may be in the past). */
    long nextProbeTime(long nowNanos) {
        if (!alive) {
            return lastProbeSentNanos == NONE ? nowNanos : lastProbeSentNanos + deadProbeIntervalNanos;
        }
        boolean idle = lastDataSentNanos == NONE || nowNanos - lastDataSentNanos > idleAfterNanos;
        long last = lastProbeSentNanos == NONE ? lastProofNanos : Math.max(lastProofNanos, lastProbeSentNanos);
        long regular = last + (idle ? idleProbeIntervalNanos : probeIntervalNanos);
        long silence = silenceDeadline();
        if (silence != Long.MAX_VALUE && (lastProbeSentNanos == NONE || lastProbeSentNanos - silence < 0)) {
            // Silent, or about to be, and not yet probed since: the reply is the quickest proof that it still works.
            return Math.min(regular, silence);
        }
        return regular;
    }

    /** Writes a probe payload (see {@link ProbeCodec}) and counts it as sent; returns its length. */
    int writeProbe(byte[] b, int off, long nowNanos) {
        lastProbeSentNanos = nowNanos;
        if (oldestUnansweredNanos == NONE) {
            oldestUnansweredNanos = nowNanos;
        }
        probesSent++;
        return ProbeCodec.write(b, off, ++probeSequence, nowNanos);
    }

    /**
     * A PROBE_REPLY arrived. Accepted if well-formed and answering a probe newer than the last answered one.
     *
     * @return the round-trip time of the probe in nanoseconds, or -1 if the reply was rejected
     */
    long onProbeReply(byte[] b, int off, int len, long nowNanos) {
        if (!ProbeCodec.isValid(b, off, len)) {
            repliesRejected++;
            return -1;
        }
        long seq = ProbeCodec.sequence(b, off);
        long sent = ProbeCodec.sendNanos(b, off);
        long rtt = nowNanos - sent;
        long maxSeq = probeSequence & AckCodec.MASK32;
        if (seq <= (lastAnsweredSequence & AckCodec.MASK32) || seq > maxSeq || rtt < 0) {
            repliesRejected++;
            return -1;
        }
        lastAnsweredSequence = seq;
        repliesAccepted++;
        onProof(nowNanos);
        return rtt;
    }

    long deaths() {
        return deaths;
    }

    long revivals() {
        return revivals;
    }

    long probesSent() {
        return probesSent;
    }

    long repliesAccepted() {
        return repliesAccepted;
    }

    long repliesRejected() {
        return repliesRejected;
    }

    long lastProofNanos() {
        return lastProofNanos;
    }
}
