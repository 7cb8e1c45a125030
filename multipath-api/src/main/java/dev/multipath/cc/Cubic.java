package dev.multipath.cc;

/**
 * CUBIC (RFC 9438) in bytes, with HyStart++ (RFC 9406) to leave slow start when the RTT starts to grow instead of
 * waiting for the first loss, and pacing at 2x (slow start) / 1.2x (congestion avoidance) of cwnd/srtt, as Linux
 * paces. One window reduction per round trip of losses (a recovery period of one smoothed RTT).
 *
 * <p>Threading and allocation: see {@link CongestionController}.
 */
final class Cubic implements CongestionController {

    private static final double C = 0.4;
    private static final double BETA = 0.7;
    private static final long MIN_RTT_THRESH = 4_000_000L;
    private static final long MAX_RTT_THRESH = 16_000_000L;
    private static final int HYSTART_MIN_SAMPLES = 8;

    private final RttEstimator rtt;
    private final long mss;
    private final long initialWindow;
    private final long minWindow;
    private final RoundCounter rounds = new RoundCounter();

    private volatile long cwnd;
    private volatile long pacingRate;
    private long ssthresh;
    private double wMax;
    private double k;
    private long epochStart;
    private double wEst;
    private long recoveryUntil;
    // HyStart++ state.
    private long lastRoundMinRtt;
    private long currentRoundMinRtt;
    private int roundSamples;

    /**
     * @param rtt the path's RTT estimator (read only here)
     * @param mss the path's largest frame, bytes
     */
    Cubic(RttEstimator rtt, int mss) {
        this.rtt = rtt;
        this.mss = mss;
        this.initialWindow = 10L * mss;
        this.minWindow = 2L * mss;
        reset(0);
    }

    @Override
    public String name() {
        return "cubic";
    }

    @Override
    public void reset(long nowNanos) {
        cwnd = initialWindow;
        ssthresh = Long.MAX_VALUE;
        wMax = 0;
        k = 0;
        epochStart = Long.MIN_VALUE;
        recoveryUntil = Long.MIN_VALUE;
        lastRoundMinRtt = Long.MAX_VALUE;
        currentRoundMinRtt = Long.MAX_VALUE;
        roundSamples = 0;
        rounds.reset();
        updatePacing();
    }

    @Override
    public void onSent(long bytes, long bytesInFlight, long nowNanos) {
        // CUBIC reacts to ACKs and losses only.
    }

    @Override
    public void onAck(long ackedBytes, long rttSampleNanos, long deliveryRate, long bytesInFlight, long nowNanos) {
        boolean newRound = rounds.onAck(ackedBytes, bytesInFlight);
        if (ackedBytes <= 0) {
            return;
        }
        if (cwnd < ssthresh) {
            cwnd += ackedBytes;
            hyStart(newRound, rttSampleNanos);
        } else if (nowNanos >= recoveryUntil || epochStart != Long.MIN_VALUE) {
            congestionAvoidance(ackedBytes, nowNanos);
        }
        updatePacing();
    }

    private void hyStart(boolean newRound, long sample) {
        if (newRound) {
            lastRoundMinRtt = currentRoundMinRtt;
            currentRoundMinRtt = Long.MAX_VALUE;
            roundSamples = 0;
        }
        if (sample > 0) {
            currentRoundMinRtt = Math.min(currentRoundMinRtt, sample);
            roundSamples++;
        }
        if (roundSamples >= HYSTART_MIN_SAMPLES && lastRoundMinRtt != Long.MAX_VALUE
                && currentRoundMinRtt != Long.MAX_VALUE) {
            long thresh = Math.max(MIN_RTT_THRESH, Math.min(MAX_RTT_THRESH, lastRoundMinRtt / 8));
            if (currentRoundMinRtt >= lastRoundMinRtt + thresh) {
                ssthresh = cwnd;
            }
        }
    }

    private void congestionAvoidance(long ackedBytes, long nowNanos) {
        double cw = cwnd / (double) mss;
        if (epochStart == Long.MIN_VALUE) {
            epochStart = nowNanos;
            if (wMax <= cw) {
                wMax = cw;
                k = 0;
            } else {
                k = Math.cbrt((wMax - cw) / C);
            }
            wEst = cw;
        }
        double t = (nowNanos - epochStart + rtt.smoothedRttNanos()) / 1e9;
        double target = C * Math.pow(t - k, 3) + wMax;
        target = Math.min(target, 1.5 * cw);
        double acked = ackedBytes / (double) mss;
        // Reno-friendly estimate (RFC 9438 section 4.3).
        double alpha = 3 * (1 - BETA) / (1 + BETA);
        wEst += alpha * acked / cw;
        double next;
        if (wEst > target) {
            next = wEst;
        } else if (target > cw) {
            next = cw + (target - cw) / cw * acked;
        } else {
            next = cw;
        }
        cwnd = Math.max(minWindow, (long) (next * mss));
    }

    @Override
    public void onLoss(long lostBytes, long bytesInFlight, long nowNanos) {
        if (lostBytes <= 0 || nowNanos < recoveryUntil) {
            return;
        }
        recoveryUntil = nowNanos + rtt.smoothedRttNanos();
        double cw = cwnd / (double) mss;
        // Fast convergence (RFC 9438 section 4.7).
        wMax = cw < wMax ? cw * (1 + BETA) / 2 : cw;
        long next = Math.max(minWindow, (long) (cwnd * BETA));
        ssthresh = next;
        cwnd = next;
        epochStart = Long.MIN_VALUE;
        updatePacing();
    }

    private void updatePacing() {
        long srtt = Math.max(1_000_000L, rtt.smoothedRttNanos());
        double gain = cwnd < ssthresh ? 2.0 : 1.2;
        pacingRate = Math.max(mss, (long) (gain * cwnd * 1e9 / srtt));
    }

    @Override
    public long congestionWindow() {
        return cwnd;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return pacingRate;
    }

    /** Whether the controller is still in slow start. */
    boolean inSlowStart() {
        return cwnd < ssthresh;
    }
}
