package dev.multipath.bench;

import dev.multipath.api.PathView;

/**
 * A {@link PathView} with fixed estimates, for benchmarking schedulers without an engine. Not thread-safe
 * (benchmarks run it on one thread).
 */
final class BenchPath implements PathView {

    private final int id;
    private final long rttNanos;
    private final long rateBytesPerSecond;

    /**
     * @param rttNanos smoothed RTT to report (0: unknown)
     * @param rateBytesPerSecond delivery rate to report (0: unknown)
     */
    BenchPath(int id, long rttNanos, long rateBytesPerSecond) {
        this.id = id;
        this.rttNanos = rttNanos;
        this.rateBytesPerSecond = rateBytesPerSecond;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return "bench" + id;
    }

    @Override
    public int metric() {
        return 0;
    }

    @Override
    public boolean isUsable() {
        return true;
    }

    @Override
    public long smoothedRttNanos() {
        return rttNanos;
    }

    @Override
    public long deliveryRateBytesPerSecond() {
        return rateBytesPerSecond;
    }

    @Override
    public long queuedBytes() {
        return 0;
    }
}
