package dev.multipath.cc;

/** Creates congestion controllers by their config name. */
public final class CongestionControllers {

    private CongestionControllers() {
    }

    /** Whether {@code name} is a known controller: "bbr" or "cubic". */
    public static boolean isKnown(String name) {
        return "bbr".equals(name) || "cubic".equals(name);
    }

    /**
     * A new controller.
     *
     * @param rtt the path's RTT estimator (CUBIC reads its smoothed RTT)
     * @throws IllegalArgumentException for an unknown name (a config error)
     */
    static CongestionController create(String name, RttEstimator rtt, int mss, long initialRttNanos) {
        switch (name == null ? "" : name) {
            case "bbr":
                return new BbrLite(mss, initialRttNanos);
            case "cubic":
                return new Cubic(rtt, mss);
            default:
                throw new IllegalArgumentException("unknown congestion controller '" + name + "' (bbr | cubic)");
        }
    }
}
