package dev.multipath.api;

/**
 * What a {@link Scheduler} may know about one path. Implemented by the engine; values are live estimates,
 * read without locks, and may change between two calls.
 */
public interface PathView {

    /** Small integer identifying the path inside the session (carried in every frame). */
    int id();

    /** Configured name of the path (for example "dsl"). */
    String name();

    /** Connection metric: lower is preferred; a higher-metric path is used only when no lower one is usable. */
    int metric();

    /**
     * Whether this path may also take traffic while a lower-metric path is usable, once that lower tier is saturated
     * (config {@code overflow = true}).
     */
    default boolean overflow() {
        return false;
    }

    /** Whether the path is alive and may be given packets. */
    boolean isUsable();

    /** Smoothed round-trip time in nanoseconds, or 0 while unknown. */
    long smoothedRttNanos();

    /** Estimated delivery rate in bytes per second, or 0 while unknown. */
    long deliveryRateBytesPerSecond();

    /**
     * Whether {@link #deliveryRateBytesPerSecond()} is the path's capacity, not yet only what it was given: false
     * while its congestion control is still searching (BBR's STARTUP, which an application-limited path stays in). A
     * scheduler that keeps slower paths idle should not hold back one whose capacity it does not know yet, or it
     * never learns it. Default: true.
     */
    default boolean capacityKnown() {
        return true;
    }

    /** Bytes handed to this path but not yet sent (its share of the portal's queue). */
    long queuedBytes();

    /** Smallest round-trip time measured (propagation, not queueing) in nanoseconds, or 0 while unknown (default). */
    default long minRttNanos() {
        return 0;
    }
}
