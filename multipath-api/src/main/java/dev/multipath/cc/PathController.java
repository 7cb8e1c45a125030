package dev.multipath.cc;

/**
 * Congestion control and health of one path, for the engine: the one object per path that a datagram transport's
 * sender and receiver consult. It composes a {@link SentPacketTracker}, {@link RttEstimator},
 * {@link CongestionController}, {@link Pacer} and {@link PathHealth} (sender side) and an {@link AckGenerator}
 * (receiver side). Sans-IO: the engine builds and sends the frames; this class only writes payloads.
 *
 * <h2>What is counted</h2>
 * Only DATA and PADDING frames are congestion-controlled and acknowledged: call {@link #onFrameSent} for every such
 * frame sent on the path and {@link #onFrameReceived} for every authenticated, non-replayed one received on it, both
 * with the frame's full length (header, payload, tag; the same number on both sides). Control frames (ACK, PROBE,
 * PROBE_REPLY, KEEPALIVE) are neither counted nor subject to {@link #canSend}.
 *
 * <h2>Calling contract</h2>
 * <b>Sender side</b> (the path's sender thread; internally guarded by one lock, so an ACK applied by the receive
 * thread is also safe):
 * <ol>
 *   <li>Before sending a DATA frame of {@code len} bytes: {@link #canSend(long, int)}. If false, wait until
 *       {@link #nextSendTime(long, int)} (or until an ACK arrives: {@link #onAckFrame} may open the window) and
 *       ask again. A dead path never allows data.</li>
 *   <li>Seal the frame (this assigns the counter), send it, then {@link #onFrameSent(long, int, long)}.</li>
 *   <li>On every wake-up (at least every few ms while the path is in use): {@link #probeDue(long)}; if true,
 *       build a PROBE frame whose payload is {@link #writeProbe} and send it (even when {@link #canSend} is
 *       false, and also on a dead path: that is how it is re-admitted).</li>
 *   <li>{@link #isAlive(long)} is the scheduler's truth; it also detects death (and then drops the path's
 *       in-flight state and restarts its controller).</li>
 * </ol>
 * <b>Frames from the peer</b> (the path's receive thread, after authentication):
 * <ul>
 *   <li>ACK: find the path it acknowledges with {@link #ackedPathId(byte[], int, int)} (an ACK may travel on
 *       any path) and give the payload to that path's {@link #onAckFrame}.</li>
 *   <li>PROBE: answer at once with a PROBE_REPLY on the same path whose payload is
 *       {@link #writeProbeReply(byte[], int, int, byte[], int)} (stateless).</li>
 *   <li>PROBE_REPLY: {@link #onProbeReply}.</li>
 *   <li>DATA: {@link #onFrameReceived(long, int, long)}, then if {@link #ackDue(long)}, build an ACK frame
 *       whose payload is {@link #writeAck} and send it on the same path (through the sender, which seals it).
 *       The sender thread also checks {@link #nextAckTime()} on its wake-ups so that a delayed ACK (at most
 *       {@code maxAckDelay}, default 5 ms, or a quarter RTT; four times as long for small frames) goes out when no
 *       further frame arrives.</li>
 * </ul>
 * Receiver-side state has its own lock, so the receive thread never waits for the sender. Status getters
 * ({@link #smoothedRttNanos()}, {@link #deliveryRate()}, {@link #congestionWindow()}, ...) read volatile copies
 * and may be called from any thread. No method allocates; malformed payloads are rejected (false) and counted.
 */
public final class PathController {

    /**
     * Shortest interval a delivery-rate sample may span (besides the min RTT). A tbf shaper passes its 3200-byte
     * bucket at line rate, and an idle 10 Mbit path's first two frames were acked after 60 us, so two-frame samples
     * read 200-380 Mbit/s: hence a floor at all. It is 12 ms, not the 4 ms it was (decision 43): a path that carries
     * bursts with idle gaps between them (an inner BBR keeps the tunnel's queue short) starts each burst with a full
     * bucket, and over 4 ms those two extra frames read 12-15 Mbit/s on the lab's 10 Mbit links (traces). The
     * inflated estimate paced the path above its link, its window let 8-12 ms of queue stand at the shaper, and an
     * inner BBR, whose window follows its own min RTT of a few tenths of a ms, ran window-limited at 0.88 of the link
     * sum; with 12 ms, 0.91. Paths whose min RTT is above 12 ms (all the 20 ms cells) are unaffected.
     */
    static final long MIN_RATE_INTERVAL_NANOS = 12_000_000L;

    /**
     * The shortest time a full frame may go unanswered before the path counts as silent (see {@link #isSilent}): on
     * a near-zero-RTT path the timeout from the RTT alone is a few ms, shorter than a busy 2-core machine may leave
     * a receive thread unscheduled.
     */
    static final long MIN_SILENCE_NANOS = 10_000_000L;

    private final int pathId;
    private final PathControllerConfig config;
    private final Object sendLock = new Object();
    private final Object recvLock = new Object();

    // Sender side (sendLock).
    private final SentPacketTracker tracker;
    private final RttEstimator rtt;
    private final CongestionController cc;
    private final Pacer pacer;
    private final PathHealth health;
    private final WindowedFilter rateFilter;
    private final AckInfo ack = new AckInfo();
    private boolean wasAlive = true;
    /** When the current capacity search began (see {@link #searchesCapacity}); -1 until it starts. */
    private long searchStartNanos = -1;

    // Receiver side (recvLock).
    private final AckGenerator ackGenerator;

    // Status copies, written under sendLock, read by anyone.
    private volatile long statInflight;
    private volatile long statRate;
    private volatile long statLostFrames;
    private volatile long statLostBytes;
    private volatile long statAckedFrames;
    private volatile long statSpurious;
    private volatile long statBadAcks;
    private volatile long statUntracked;
    private volatile long counterRestarts;

    /**
     * @param pathId the path's id (0..255), as in the frame header
     * @param nowNanos the current time; the path starts alive
     */
    public PathController(int pathId, PathControllerConfig config, long nowNanos) {
        this.pathId = pathId;
        this.config = config;
        int mss = config.maxFrameSize();
        this.tracker = new SentPacketTracker(config.trackerCapacity());
        this.rtt = new RttEstimator(config.initialRttNanos(), config.minRttWindowNanos());
        this.cc = CongestionControllers.create(config.controller(), rtt, mss, config.initialRttNanos());
        this.cc.reset(nowNanos);
        this.pacer = new Pacer(2L * mss, config.pacingBurstNanos(), nowNanos);
        this.pacer.setRate(cc.pacingRateBytesPerSecond(), nowNanos);
        this.health = new PathHealth(config.probeIntervalNanos(), config.idleProbeIntervalNanos(),
                config.idleAfterNanos(), config.deadAfterNanos(), config.deadProbeIntervalNanos(), nowNanos);
        this.rateFilter = new WindowedFilter(true, config.rateWindowNanos());
        this.ackGenerator = new AckGenerator(pathId, config.ackListedCounters(), config.ackEveryFrames(),
                config.maxAckDelayNanos(), mss);
    }

    // ---------------------------------------------------------------- sender side

    /** Whether a DATA frame of {@code bytes} may be sent now (alive, window open, pacer allows). */
    public boolean canSend(long nowNanos, int bytes) {
        synchronized (sendLock) {
            if (!checkAlive(nowNanos)) {
                return false;
            }
            runLossTimer(nowNanos);
            return windowOpen(bytes) && pacer.canSend(nowNanos, bytes);
        }
    }

    private boolean windowOpen(int bytes) {
        long inflight = tracker.bytesInFlight();
        return !tracker.isFull() && (inflight == 0 || inflight + bytes <= cc.congestionWindow());
    }

    /**
     * The earliest time a DATA frame of {@code bytes} may go: now or later when only the pacer holds it back;
     * when the window is full, the time a loss timer may free it (an ACK may free it sooner); {@link Long#MAX_VALUE}
     * when the path is dead.
     */
    public long nextSendTime(long nowNanos, int bytes) {
        synchronized (sendLock) {
            if (!checkAlive(nowNanos)) {
                return Long.MAX_VALUE;
            }
            runLossTimer(nowNanos);
            if (!windowOpen(bytes)) {
                return Math.max(nowNanos, tracker.nextLossCheckTime(rtt.lossDelayNanos(), expiry()));
            }
            return pacer.nextSendTime(nowNanos, bytes);
        }
    }

    /**
     * A DATA frame was sent on this path.
     *
     * @param counter the frame's counter (increasing on this path)
     * @param bytes the frame's full length (header, payload, tag)
     */
    public void onFrameSent(long counter, int bytes, long nowNanos) {
        synchronized (sendLock) {
            if (counter <= tracker.newestCounter()) {
                // Counters only fall when a new session starts numbering from 0 (rekey, every 2 minutes); without
                // this every later frame went untracked and the path ran without congestion control.
                tracker.restartCounters();
                counterRestarts++;
            }
            if (!tracker.onSent(counter, bytes, nowNanos)) {
                statUntracked++;
                return;
            }
            pacer.onSent(nowNanos, bytes);
            cc.onSent(bytes, tracker.bytesInFlight(), nowNanos);
            health.onDataSent(nowNanos, 2 * bytes >= config.maxFrameSize());
            statInflight = tracker.bytesInFlight();
        }
    }

    /**
     * Whether the sender should fill this path's spare window with padding now: the path is alive, has an RTT
     * sample, its controller has not yet found the path's capacity (BBR's STARTUP; CUBIC reports it known, so a
     * CUBIC path is never padded), and the
     * search began less than {@code budgetNanos} ago (it begins with the first call that finds an RTT sample, and
     * again after the path was dead). Padding frames count as DATA frames here ({@link #onFrameSent}) and at the
     * receiver, so the controller measures the path's capacity before the inner traffic needs it, instead of
     * during the first flow, whose packets then meet the controller's overshoot. See {@code FrameType.PADDING}.
     */
    public boolean searchesCapacity(long nowNanos, long budgetNanos) {
        if (budgetNanos <= 0 || cc.capacityKnown()) {
            return false; // without the lock: asked on every turn the sender finds no data
        }
        synchronized (sendLock) {
            if (budgetNanos <= 0 || !checkAlive(nowNanos) || !rtt.hasSample() || cc.capacityKnown()) {
                return false;
            }
            if (searchStartNanos < 0) {
                searchStartNanos = nowNanos;
            }
            return nowNanos - searchStartNanos < budgetNanos;
        }
    }

    /**
     * The sender has a frame waiting but {@link #canSend} said no: if it is the window that is full (not the pacer),
     * the controller learns that the path itself limits the sending (see {@link CongestionController#onWindowLimited}).
     */
    public void onDataWaiting() {
        synchronized (sendLock) {
            if (!windowOpen(config.maxFrameSize())) {
                cc.onWindowLimited();
            }
        }
    }

    /**
     * The sender found nothing to send although the window and pacer would have let a frame go: rate samples of the
     * frames sent until what is in flight now is delivered measure the offered load, not the path.
     */
    public void onAppLimited() {
        synchronized (sendLock) {
            tracker.onAppLimited();
        }
    }

    /**
     * The path an ACK payload acknowledges, so the engine can route it to that path's controller.
     *
     * @return the path id, or -1 if the payload is not a well-formed ACK
     */
    public static int ackedPathId(byte[] b, int off, int len) {
        if (b == null || off < 0 || len < AckCodec.MIN_LENGTH || off > b.length - len || b[off] != AckCodec.FORMAT) {
            return -1;
        }
        return b[off + 1] & 0xff;
    }

    /**
     * Applies an ACK payload (the bytes after the ACK frame's header) for this path.
     *
     * @return false if it was malformed, for another path, stale or acknowledged unsent frames (dropped, counted)
     */
    public boolean onAckFrame(byte[] b, int off, int len, long nowNanos) {
        synchronized (sendLock) {
            if (!AckCodec.decode(b, off, len, ack) || ack.pathId != pathId) {
                statBadAcks++;
                return false;
            }
            tracker.setMinRateIntervalNanos(Math.max(MIN_RATE_INTERVAL_NANOS, rtt.minRttNanos()));
            long rejectedBefore = tracker.rejectedAcks();
            if (!tracker.onAck(ack, nowNanos)) {
                if (tracker.rejectedAcks() != rejectedBefore) {
                    statBadAcks++;
                }
                return false;
            }
            long sample = -1;
            if (tracker.rttSampleNanos() > 0) {
                sample = rtt.onSample(tracker.rttSampleNanos(), tracker.ackDelayNanos(), nowNanos);
            }
            long rate = tracker.deliveryRateSample();
            // The path's rate as schedulers see it: an application-limited sample (the scheduler itself kept the path
            // short of data) may raise it but not lower it, else a path held back would look slow and stay held back.
            if (rate > 0 && (!tracker.deliveryRateSampleAppLimited() || rate >= statRate)) {
                statRate = rateFilter.update(rate, nowNanos);
            }
            long inflightAfterAck = tracker.bytesInFlight();
            tracker.detectLosses(nowNanos, rtt.lossDelayNanos(), expiry());
            cc.onAck(tracker.ackedBytes(), sample, rate, tracker.deliveryRateSampleAppLimited(), inflightAfterAck,
                    nowNanos);
            if (tracker.lostBytes() > 0) {
                cc.onLoss(tracker.lostBytes(), tracker.bytesInFlight(), nowNanos);
            }
            pacer.setRate(cc.pacingRateBytesPerSecond(), nowNanos);
            if (sample > 0) {
                long full = Math.max(MIN_SILENCE_NANOS, rtt.expiryNanos(config.maxAckDelayNanos()));
                // The peer holds a small frame's ACK up to LIGHT_DELAY_FACTOR x the longest delay of a full frame's.
                health.setSilenceAfter(full, full + AckGenerator.LIGHT_DELAY_FACTOR * config.maxAckDelayNanos());
            }
            if (health.onProof(nowNanos)) {
                wasAlive = true;
            }
            updateStats();
            return true;
        }
    }

    private long expiry() {
        // The peer may hold a small frame's ACK for longer than a full frame's (see AckGenerator), and the ACK then
        // queues behind the other direction's data, which the RTT samples (taken on the newest frame of a batch,
        // hold time removed) do not show: give up on a frame only after twice the longer delay, or small frames
        // were counted lost that were merely not yet acknowledged (lab: the inner TCP's ACKs, 10 "losses" a second).
        return rtt.expiryNanos(2L * AckGenerator.LIGHT_DELAY_FACTOR * config.maxAckDelayNanos());
    }

    private void runLossTimer(long nowNanos) {
        if (nowNanos >= tracker.nextLossCheckTime(rtt.lossDelayNanos(), expiry())) {
            tracker.detectLosses(nowNanos, rtt.lossDelayNanos(), expiry());
            if (tracker.lostBytes() > 0) {
                cc.onLoss(tracker.lostBytes(), tracker.bytesInFlight(), nowNanos);
                pacer.setRate(cc.pacingRateBytesPerSecond(), nowNanos);
                updateStats();
            }
        }
    }

    private void updateStats() {
        statInflight = tracker.bytesInFlight();
        statLostFrames = tracker.totalLostFrames();
        statLostBytes = tracker.totalLostBytes();
        statAckedFrames = tracker.totalAckedFrames();
        statSpurious = tracker.totalSpuriousLosses();
    }

    /** Whether a PROBE should be sent now (see the class comment). */
    public boolean probeDue(long nowNanos) {
        synchronized (sendLock) {
            checkAlive(nowNanos);
            return health.probeDue(nowNanos);
        }
    }

    /** When the next PROBE falls due. */
    public long nextProbeTime(long nowNanos) {
        synchronized (sendLock) {
            return health.nextProbeTime(nowNanos);
        }
    }

    /** Writes a PROBE payload at {@code off} (room: {@link ProbeCodec#LENGTH}); returns its length. */
    public int writeProbe(byte[] b, int off, long nowNanos) {
        synchronized (sendLock) {
            return health.writeProbe(b, off, nowNanos);
        }
    }

    /**
     * A PROBE_REPLY arrived on this path: proof of life (re-admits a dead path).
     *
     * @return false if malformed or not answering an outstanding probe (dropped, counted)
     */
    public boolean onProbeReply(byte[] b, int off, int len, long nowNanos) {
        synchronized (sendLock) {
            long probeRtt = health.onProbeReply(b, off, len, nowNanos);
            if (probeRtt < 0) {
                return false;
            }
            if (tracker.bytesInFlight() == 0 && probeRtt > 0) {
                // Only an idle path's probe measures the bare RTT (behind data it would only see the queue), and
                // then it is the path's RTT now: it replaces the smoothed RTT of the last busy moment.
                rtt.onIdleSample(probeRtt, nowNanos);
            }
            wasAlive = true;
            return true;
        }
    }

    /** Writes the PROBE_REPLY payload answering a PROBE payload; -1 if the probe is malformed. Stateless. */
    public static int writeProbeReply(byte[] probe, int off, int len, byte[] out, int outOff) {
        return ProbeCodec.writeReply(probe, off, len, out, outOff);
    }

    /** Whether the path is alive; detects death (then forgets in-flight frames and restarts the controller). */
    public boolean isAlive(long nowNanos) {
        synchronized (sendLock) {
            return checkAlive(nowNanos);
        }
    }

    private boolean checkAlive(long nowNanos) {
        boolean alive = health.isAlive(nowNanos, rtt.hasSample() ? rtt.smoothedRttNanos() : 0);
        if (wasAlive && !alive) {
            // Its capacity is unknown when it comes back: start over (slow start / STARTUP) then.
            tracker.discardAll();
            cc.reset(nowNanos);
            searchStartNanos = -1;
            pacer.setRate(cc.pacingRateBytesPerSecond(), nowNanos);
            rateFilter.clear();
            statRate = 0;
            statInflight = 0;
        }
        wasAlive = alive;
        return alive;
    }

    /**
     * Whether the path is silent: alive, but a full-size data frame's ACK is overdue by a retransmission timeout
     * ({@code max(srtt + 4 rttvar + max ACK delay, 2 srtt)}, at least {@value #MIN_SILENCE_NANOS} ns; a small frame's
     * four ACK delays more) with nothing heard since. Silence comes long before death (a black hole: after ~10-20 ms instead of 300 ms); the engine
     * stops giving a silent path new data while another path is heard, so that the inner TCP's retransmissions do not
     * follow its first losses into the hole. A probe falls due at once (see {@link #nextProbeTime}); any proof of
     * life ends the silence.
     */
    public boolean isSilent(long nowNanos) {
        synchronized (sendLock) {
            return checkAlive(nowNanos) && health.isSilent(nowNanos);
        }
    }

    /** Whether the DATA frame with {@code counter} is still unacknowledged (and not yet declared lost). */
    public boolean isInFlight(long counter) {
        synchronized (sendLock) {
            return tracker.isInFlight(counter);
        }
    }

    /** See {@code PathHealth.silenceMidpoint}: another path heard after this time was heard during this one's silence. */
    public long silenceMidpointNanos() {
        synchronized (sendLock) {
            return health.silenceMidpoint();
        }
    }

    /** When the last ACK or accepted probe reply for this path arrived (any thread). */
    public long lastProofNanos() {
        synchronized (sendLock) {
            return health.lastProofNanos();
        }
    }

    /** The last silence verdict, cleared at once by proof of life (any thread). */
    public boolean isSilentView() {
        return health.isSilentView();
    }

    /** Times the path turned silent (a full frame's ACK overdue; most end in proof of life, some in death). */
    public long silences() {
        synchronized (sendLock) {
            return health.silences();
        }
    }

    // ---------------------------------------------------------------- receiver side

    /**
     * An authenticated, non-replayed DATA frame arrived on this path.
     *
     * @param counter the frame's counter extended with its session's epoch in the high 32 bits
     *        ({@code PortalCore.extendedCounter}), so that a new session's counters, which start again from 0,
     *        still order after the old one's
     * @param bytes the frame's full length (header, payload, tag)
     */
    public void onFrameReceived(long counter, int bytes, long nowNanos) {
        synchronized (recvLock) {
            ackGenerator.onFrameReceived(counter, bytes, nowNanos);
        }
    }

    /** Whether an ACK for this path should be sent now. */
    public boolean ackDue(long nowNanos) {
        synchronized (recvLock) {
            return ackGenerator.ackDue(nowNanos);
        }
    }

    /** When a delayed ACK falls due, {@link Long#MAX_VALUE} if none is pending. */
    public long nextAckTime() {
        synchronized (recvLock) {
            return ackGenerator.nextAckTime();
        }
    }

    /**
     * Writes an ACK payload at {@code off} (room: {@link AckCodec#MAX_LENGTH}).
     *
     * @return its length, 0 if nothing was received yet (send no ACK then)
     */
    public int writeAck(byte[] b, int off, long nowNanos) {
        synchronized (recvLock) {
            ackGenerator.setRttHint(rtt.hasSample() ? rtt.smoothedRttNanos() : 0);
            return ackGenerator.writeAck(b, off, nowNanos);
        }
    }

    // ---------------------------------------------------------------- status (any thread)

    int pathId() {
        return pathId;
    }

    /** One line of the controller's internal state, for diagnostics (allocates: not for the data path). */
    public String debugState() {
        return cc + " inflight=" + statInflight + " rate=" + statRate * 8 / 1000 + "kbit srtt="
                + rtt.smoothedRttNanos() / 1000 + "us lost=" + statLostFrames + " silences=" + health.silences();
    }

    public String controllerName() {
        return cc.name();
    }

    /** The last liveness verdict, without re-evaluating it (for the scheduler and status). */
    public boolean isAliveView() {
        return health.isAliveView();
    }

    public long smoothedRttNanos() {
        return rtt.smoothedRttNanos();
    }

    public long minRttNanos() {
        return rtt.minRttNanos();
    }

    /** Delivery rate, bytes/s: the maximum sample over the rate window; 0 before the first. */
    public long deliveryRate() {
        return statRate;
    }

    public boolean capacityKnown() {
        return cc.capacityKnown();
    }

    public long congestionWindow() {
        return cc.congestionWindow();
    }

    public long pacingRate() {
        return cc.pacingRateBytesPerSecond();
    }

    public long bytesInFlight() {
        return statInflight;
    }

    public long lostFrames() {
        return statLostFrames;
    }

    long lostBytes() {
        return statLostBytes;
    }

    public long ackedFrames() {
        return statAckedFrames;
    }

    /** Frames declared lost that later showed up delivered. */
    long spuriousLosses() {
        return statSpurious;
    }

    /** ACK payloads dropped: malformed, for another path, or acknowledging unsent frames. */
    long badAcks() {
        return statBadAcks;
    }

    /** DATA frames not tracked (counter not increasing, or ring full despite {@link #canSend}). */
    long untrackedFrames() {
        return statUntracked;
    }

    /** Times the counter space restarted (one per new sending session). */
    public long counterRestarts() {
        return counterRestarts;
    }

    /** Times the path was declared dead. */
    public long deaths() {
        synchronized (sendLock) {
            return health.deaths();
        }
    }

    /** Times a dead path was re-admitted. */
    public long revivals() {
        synchronized (sendLock) {
            return health.revivals();
        }
    }
}
