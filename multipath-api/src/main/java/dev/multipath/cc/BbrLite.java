package dev.multipath.cc;

/**
 * A small BBR (v1 shaped) controller: models the path by its bottleneck bandwidth (windowed maximum of delivery-rate
 * samples over {@value #BW_WINDOW_ROUNDS} round trips) and its propagation delay (windowed minimum RTT over
 * 10 s), paces at {@code pacing_gain x bandwidth} and caps the bytes in flight at {@code 2 x BDP}.
 * States: STARTUP (gain 2/ln2 until the bandwidth stops growing by 25 % for 3 rounds), DRAIN (inverse gain
 * until in-flight falls to one BDP), PROBE_BW (gain cycle 1.25, 0.75, 1 x 6, one phase per min RTT) and
 * PROBE_RTT (in-flight cut to half a BDP, at least 4 frames, for 200 ms when no sample came near the min RTT for 10 s, so that a
 * standing queue cannot fool the estimate).
 *
 * <p>One addition from BBR v2, kept cheap: when a round loses more than 5 % of its bytes (a drop-tail queue
 * overflowing because the path's rate fell), the bandwidth estimate is reset to the current round's delivery
 * rate, so a halved link is followed within a few round trips instead of the 10-round filter window.
 *
 * <p>Threading and allocation: see {@link CongestionController}.
 */
final class BbrLite implements CongestionController {

    static final int BW_WINDOW_ROUNDS = 10;
    private static final long MIN_RTT_WINDOW = 10_000_000_000L;
    private static final long PROBE_RTT_DURATION = 200_000_000L;
    private static final double HIGH_GAIN = 2.885;
    private static final double[] CYCLE = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    private static final double CWND_GAIN = 2.0;
    private static final double LOSS_THRESHOLD = 0.05;
    /**
     * The model's RTT is at least this: below it the min RTT measures the hosts, not the path. On a near-zero-RTT
     * link (the lab's veths, 0.1 ms) a window of bw x min RTT was the 4-frame floor, which cannot cover the ACK
     * cadence (every 2 frames, up to a quarter RTT late) nor a portal thread's wake-up delay: the link idled, its
     * shaper's bucket refilled, and the bursts that followed inflated the rate samples (those are now bounded by
     * {@code PathController.MIN_RATE_INTERVAL_NANOS}). It was 4 ms; 2 ms (decision 44) because the window, twice
     * the model's BDP, lets about that much queue stand at the bottleneck (lab, 10 + 20 Mbit on 0.1 ms links:
     * smoothed RTTs of 2-6 ms, up to 6 and 12 frames in flight), through which an inner BBR (its window follows its
     * own min RTT, a few tenths of a ms) ran window-limited at 0.87 of the link sum. With 2 ms: 0.917, and inner
     * cubic unchanged.
     */
    static final long MIN_MODEL_RTT_NANOS = 2_000_000L;
    /**
     * STARTUP also ends after {@value #QUEUED_ROUNDS_TO_EXIT} rounds whose smallest RTT sample stays this far (or a
     * quarter of the min RTT, if more) above the min RTT: a queue that stands for a whole round proves the path got
     * more than it carries, whatever the application-limited marks say. Without this a path sharing the scheduler's
     * queue with others never left STARTUP (the shared queue runs dry between bursts, so every round had an
     * application-limited sample) and kept 2.885 BDPs in flight: lab, 10 + 20 Mbit with 20 ms RTT, the 10 Mbit path
     * stood at 66 ms RTT and the inner TCP, waiting for it, got 0.66 of the link sum. Only rounds in which the
     * window was full with data waiting count: then the queue is this path's own. A path that carries a trickle (the
     * inner TCP's ACKs) sees the other direction's queue in its RTT, and left STARTUP at the trickle's rate (the next
     * flow its way then needed 3 s to ramp).
     */
    static final long QUEUE_EXIT_NANOS = 4_000_000L;
    static final int QUEUED_ROUNDS_TO_EXIT = 2;
    /**
     * An application-limited round still counts towards BBR's full-pipe test (the bandwidth stopped growing by 25 %
     * for 3 rounds) when this path itself held a standing queue through it: the round's smallest RTT sample stayed
     * above the min RTT as in {@link #QUEUE_EXIT_NANOS}, with at least this many BDPs (and {@value
     * #HELD_QUEUE_FRAMES} full frames) in flight. A queue at the bottleneck for a whole round means the bottleneck
     * was busy, so that round's delivery rate measured the path, not the offered load. Lab (two-equal-rtt20, the
     * first flow after the portals start, trace): the scheduler's queue stayed empty, so no round was window-limited,
     * and one path stayed in STARTUP for 4 s with 55-78 kB in flight on a 26 kB BDP (RTT 40-58 ms against 20 ms) while
     * its estimate sat at 10.2-10.5 Mbit/s; the flow ran at 8-16 of 18 Mbit/s meanwhile. Decision 18 tried ending
     * STARTUP on such rounds alone and reverted it (paths left on their first burst with a small estimate): here the
     * estimate must also have stopped growing. The frame floor keeps a trickle (the inner TCP's ACKs, small frames,
     * whose RTT shows the other direction's queue) in STARTUP.
     */
    static final double HELD_QUEUE_BDPS = 1.5;
    static final int HELD_QUEUE_FRAMES = 8;
    /**
     * STARTUP also ends on a round that lost more than this share of its bytes, and at least {@value
     * #STARTUP_LOSS_FRAMES} full frames, while the estimate grew by less than a quarter over the round (as BBR v2
     * leaves STARTUP on loss, with a plateau test on top): the bottleneck's queue overflowed, so the pipe was full
     * whatever the application-limited marks say. Measured (lab three-unequal, the first outbound flow, local
     * portal's trace): the 30 Mbit / 60 ms path's estimate was flat at 28-29 Mbit/s for 3 s, every round
     * application-limited (the scheduler's queue empty, the inner TCP the limit), so it stayed in STARTUP pacing at
     * 81-84 Mbit/s; each burst of the inner TCP overflowed its link (77 frames lost in one second) and the 18 Mbit path
     * did the same (36), each loss a retransmission and a window cut for the inner cubic. The plateau test keeps a
     * path that is still ramping (a revived path after a link came back, whose first bursts may lose frames) in
     * STARTUP; the frame floor keeps a trickle there.
     */
    static final double STARTUP_LOSS_RATE = 0.02;
    static final int STARTUP_LOSS_FRAMES = 8;
    /**
     * An RTT sample within this share of the min RTT (and at least {@link #MIN_RTT_CONFIRM_NANOS}) above it confirms
     * the min RTT: its 10 s window restarts, so PROBE_RTT comes only when the path has not come near its min RTT
     * for 10 s (a standing queue, or a longer route). Without it a path kept busy with a small queue (PROBE_BW's
     * cycle keeps in-flight near one BDP, so samples sit a few ms above the min) entered PROBE_RTT every 10 s and cut
     * its window to half a BDP for 200 ms; on the path carrying most of the flow the scheduler's queue then grew past
     * CoDel's target and the inner TCP lost packets. Measured (lab rate-delay, both portals' traces, three flows each
     * way): the two dips of the six flows (45 to 27 Mbit/s, 51 to 35) each began with the 40 Mbit path's PROBE_RTT,
     * with 3 and 6 CoDel drops in the following 0.3 s.
     */
    static final int MIN_RTT_CONFIRM_DIVISOR = 8;
    static final long MIN_RTT_CONFIRM_NANOS = 1_000_000L;

    enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    private final long mss;
    private final long initialWindow;
    private final long minWindow;
    private final long initialRttNanos;
    private final RoundCounter rounds = new RoundCounter();
    private final WindowedFilter bwFilter = new WindowedFilter(true, BW_WINDOW_ROUNDS);

    private Mode mode;
    private volatile long cwnd;
    private volatile long pacingRate;
    private double pacingGain;
    private double cwndGain;
    private long minRtt;
    private long minRttStamp;
    private long fullBw;
    private int fullBwCount;
    private volatile boolean filledPipe;
    private int cycleIndex;
    private long cycleStamp;
    private long probeRttDoneStamp;
    private long priorCwnd;
    private long roundAcked;
    private long roundLost;
    private long roundMaxRate;
    private boolean roundAppLimited;
    private long bwRounds;
    private long roundMinRttSample;
    private int queuedRounds;
    private boolean roundWindowLimited;
    private long roundMaxInflight;
    private boolean lastRoundHeldQueue;
    /** The estimate at the end of the previous STARTUP round (0: none yet). */
    private long startupRoundBw;

    /**
     * @param mss the path's largest frame, bytes
     * @param initialRttNanos the RTT assumed for pacing before the first sample
     */
    BbrLite(int mss, long initialRttNanos) {
        this.mss = mss;
        this.initialWindow = 10L * mss;
        this.minWindow = 4L * mss;
        this.initialRttNanos = initialRttNanos;
        reset(0);
    }

    @Override
    public String name() {
        return "bbr";
    }

    @Override
    public void reset(long nowNanos) {
        mode = Mode.STARTUP;
        pacingGain = HIGH_GAIN;
        cwndGain = HIGH_GAIN;
        cwnd = initialWindow;
        minRtt = 0;
        minRttStamp = nowNanos;
        fullBw = 0;
        fullBwCount = 0;
        filledPipe = false;
        cycleIndex = 0;
        cycleStamp = nowNanos;
        probeRttDoneStamp = 0;
        roundAcked = 0;
        roundLost = 0;
        roundMaxRate = 0;
        roundAppLimited = false;
        bwRounds = 0;
        roundMinRttSample = 0;
        queuedRounds = 0;
        roundWindowLimited = false;
        roundMaxInflight = 0;
        lastRoundHeldQueue = false;
        startupRoundBw = 0;
        rounds.reset();
        bwFilter.clear();
        pacingRate = (long) (HIGH_GAIN * initialWindow * 1e9 / initialRttNanos);
    }

    @Override
    public void onSent(long bytes, long bytesInFlight, long nowNanos) {
    }

    @Override
    public void onAck(long ackedBytes, long rttSampleNanos, long deliveryRate, long bytesInFlight, long nowNanos) {
        onAck(ackedBytes, rttSampleNanos, deliveryRate, false, bytesInFlight, nowNanos);
    }

    /**
     * Application-limited samples (as BBR): they may raise the bandwidth estimate but never lower it, and a round
     * that ends on one does not count towards leaving STARTUP. Without this, a path the scheduler keeps idle (the
     * long path of two, while the short one suffices) measured its trickle, left STARTUP at that rate and paced at it,
     * so when the scheduler did need it, it could carry only the trickle (lab: 0.8 Mbit/s on a 40 Mbit link).
     */
    @Override
    public void onAck(long ackedBytes, long rttSampleNanos, long deliveryRate, boolean rateAppLimited,
            long bytesInFlight, long nowNanos) {
        boolean newRound = rounds.onAck(ackedBytes, bytesInFlight);
        if (newRound) {
            onRoundEnd();
        }
        roundAcked += ackedBytes;
        roundMaxInflight = Math.max(roundMaxInflight, bytesInFlight);
        if (newRound && mode != Mode.PROBE_RTT) {
            bwRounds++;
        }
        if (deliveryRate > 0) {
            roundMaxRate = Math.max(roundMaxRate, deliveryRate);
            roundAppLimited |= rateAppLimited;
            // PROBE_RTT limits the window on purpose: its samples say nothing about the path unless they are higher,
            // and its rounds do not age the filter (else a 200 ms PROBE_RTT on a 20 ms path would forget the
            // bandwidth).
            if ((mode != Mode.PROBE_RTT && !rateAppLimited) || deliveryRate >= bwFilter.get(0)) {
                bwFilter.update(deliveryRate, bwRounds);
            }
        }
        if (rttSampleNanos > 0 && minRtt > 0
                && rttSampleNanos <= minRtt + Math.max(MIN_RTT_CONFIRM_NANOS, minRtt / MIN_RTT_CONFIRM_DIVISOR)) {
            minRttStamp = nowNanos; // confirmed, see MIN_RTT_CONFIRM_DIVISOR
        }
        boolean minRttExpired = minRtt > 0 && nowNanos - minRttStamp > MIN_RTT_WINDOW;
        if (rttSampleNanos > 0 && (minRtt == 0 || rttSampleNanos <= minRtt || minRttExpired)) {
            minRtt = rttSampleNanos;
            minRttStamp = nowNanos;
        }
        if (rttSampleNanos > 0 && (roundMinRttSample == 0 || rttSampleNanos < roundMinRttSample)) {
            roundMinRttSample = rttSampleNanos;
        }
        if (newRound && mode == Mode.STARTUP && (!rateAppLimited || lastRoundHeldQueue)) {
            checkFullPipe();
        }
        if (mode == Mode.DRAIN && bytesInFlight <= bdp(1.0)) {
            enterProbeBw(nowNanos);
        }
        if (mode == Mode.PROBE_BW) {
            advanceCycle(bytesInFlight, nowNanos);
        }
        if (mode != Mode.PROBE_RTT && minRttExpired && minRtt > 0) {
            mode = Mode.PROBE_RTT;
            pacingGain = 1;
            priorCwnd = cwnd;
            probeRttDoneStamp = 0;
        }
        if (mode == Mode.PROBE_RTT) {
            handleProbeRtt(bytesInFlight, nowNanos);
        }
        updateControls(ackedBytes);
    }

    private void onRoundEnd() {
        lastRoundHeldQueue = false;
        if (mode == Mode.STARTUP) {
            lastRoundHeldQueue = queueStood() && roundMaxInflight >= Math.max(bdp(HELD_QUEUE_BDPS),
                    HELD_QUEUE_FRAMES * mss);
            checkStandingQueue();
            checkStartupLoss();
        }
        roundMinRttSample = 0;
        roundWindowLimited = false;
        roundMaxInflight = 0;
        // Not on an application-limited round: its delivery rate is the offered load, and resetting to it would pace
        // the path at a trickle (the inner TCP's ACKs, when the other direction carries the data).
        if (roundAcked > 0 && roundLost > LOSS_THRESHOLD * (roundAcked + roundLost) && roundMaxRate > 0
                && !roundAppLimited) {
            // The path lost a lot this round: its old bandwidth estimate is stale (rate fell). Restart the max
            // filter at what was actually delivered.
            bwFilter.reset(roundMaxRate, bwRounds);
        }
        roundAcked = 0;
        roundLost = 0;
        roundMaxRate = 0;
        roundAppLimited = false;
    }

    private void checkFullPipe() {
        long bw = bwFilter.get(0);
        if (bw >= fullBw * 1.25) {
            fullBw = bw;
            fullBwCount = 0;
            return;
        }
        if (++fullBwCount >= 3) {
            exitStartup();
        }
    }

    /** See {@link #STARTUP_LOSS_RATE}: a round that overflowed the bottleneck while the estimate stood still. */
    private void checkStartupLoss() {
        long bw = bwFilter.get(0);
        boolean lossy = roundLost >= STARTUP_LOSS_FRAMES * mss
                && roundLost > STARTUP_LOSS_RATE * (roundAcked + roundLost);
        boolean flat = startupRoundBw > 0 && bw < startupRoundBw * 1.25;
        startupRoundBw = bw;
        if (mode == Mode.STARTUP && lossy && flat) {
            exitStartup();
        }
    }

    /** See {@link #QUEUE_EXIT_NANOS}: a round that never saw the bare RTT ran behind a standing queue. */
    private void checkStandingQueue() {
        boolean queued = roundWindowLimited && queueStood();
        queuedRounds = queued ? queuedRounds + 1 : 0;
        if (queuedRounds >= QUEUED_ROUNDS_TO_EXIT && !bwFilter.isEmpty()) {
            exitStartup();
        }
    }

    /** Whether no RTT sample of the round came near the min RTT: a queue stood through it. */
    private boolean queueStood() {
        return minRtt > 0 && roundMinRttSample > 0
                && roundMinRttSample > minRtt + Math.max(minRtt / 4, QUEUE_EXIT_NANOS);
    }

    private void exitStartup() {
        filledPipe = true;
        mode = Mode.DRAIN;
        pacingGain = 1 / HIGH_GAIN;
        cwndGain = HIGH_GAIN;
        queuedRounds = 0;
    }

    private void enterProbeBw(long nowNanos) {
        mode = Mode.PROBE_BW;
        cwndGain = CWND_GAIN;
        // Start anywhere but in the draining phase (as BBR does, to desynchronise flows).
        cycleIndex = (int) ((nowNanos >>> 10) % (CYCLE.length - 1));
        if (cycleIndex >= 1) {
            cycleIndex++;
        }
        pacingGain = CYCLE[cycleIndex];
        cycleStamp = nowNanos;
    }

    private void advanceCycle(long bytesInFlight, long nowNanos) {
        long phase = minRtt > 0 ? minRtt : initialRttNanos;
        boolean elapsed = nowNanos - cycleStamp > phase;
        boolean next;
        if (pacingGain > 1) {
            next = elapsed && bytesInFlight >= bdp(pacingGain);
        } else if (pacingGain < 1) {
            // Unlike BBR v1, stay below the bottleneck rate until the queue is gone (in-flight at most one BDP),
            // as BBR v2's PROBE_DOWN does, so a queue left by a rate drop does not stand (bounded at 8 phases).
            next = bytesInFlight <= bdp(1.0) || nowNanos - cycleStamp > 8 * phase;
        } else {
            next = elapsed;
        }
        if (next) {
            cycleIndex = (cycleIndex + 1) % CYCLE.length;
            pacingGain = CYCLE[cycleIndex];
            cycleStamp = nowNanos;
        }
    }

    private void handleProbeRtt(long bytesInFlight, long nowNanos) {
        if (probeRttDoneStamp == 0 && bytesInFlight <= Math.max(minWindow, bdp(0.5))) {
            probeRttDoneStamp = nowNanos + PROBE_RTT_DURATION;
        } else if (probeRttDoneStamp != 0 && nowNanos >= probeRttDoneStamp) {
            minRttStamp = nowNanos;
            cwnd = Math.max(cwnd, priorCwnd);
            if (filledPipe) {
                enterProbeBw(nowNanos);
            } else {
                mode = Mode.STARTUP;
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
            }
        }
    }

    private long bdp(double gain) {
        long bw = bwFilter.get(0);
        if (bw == 0 || minRtt == 0) {
            return initialWindow;
        }
        return (long) (gain * bw * (Math.max(minRtt, MIN_MODEL_RTT_NANOS) / 1e9));
    }

    private void updateControls(long ackedBytes) {
        long bw = bwFilter.get(0);
        if (bw > 0) {
            long rate = (long) (pacingGain * bw);
            // In STARTUP never pace slower than before: the filter may still be filling.
            pacingRate = filledPipe ? rate : Math.max(pacingRate, rate);
        }
        if (mode == Mode.PROBE_RTT) {
            // Half a BDP (as BBR v2) drains any queue while keeping most of the throughput.
            cwnd = Math.max(minWindow, bdp(0.5));
            return;
        }
        long target = bdp(cwndGain) + 2 * mss;
        // STARTUP grows the window like slow start up to the model's target (as Linux BBR does); later the
        // window follows the model.
        if (filledPipe) {
            cwnd = Math.max(minWindow, target);
        } else if (cwnd < target || bwFilter.isEmpty()) {
            cwnd = cwnd + ackedBytes;
        }
    }

    @Override
    public void onWindowLimited() {
        roundWindowLimited = true;
    }

    @Override
    public void onLoss(long lostBytes, long bytesInFlight, long nowNanos) {
        roundLost += lostBytes;
    }

    @Override
    public boolean capacityKnown() {
        return filledPipe;
    }

    @Override
    public long congestionWindow() {
        return cwnd;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return Math.max(mss, pacingRate);
    }

    /** The current bottleneck-bandwidth estimate, bytes/s (0 before the first sample). */
    long bottleneckBandwidth() {
        return bwFilter.get(0);
    }

    /** The current min-RTT estimate, ns (0 before the first sample). */
    long minRttNanos() {
        return minRtt;
    }

    Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return mode + " bw=" + bwFilter.get(0) * 8 / 1000 + "kbit minRtt=" + minRtt / 1000 + "us gain=" + pacingGain
                + " cwnd=" + cwnd + " pace=" + pacingRate * 8 / 1000 + "kbit";
    }
}
