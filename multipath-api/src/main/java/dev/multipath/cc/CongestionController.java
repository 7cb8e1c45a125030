package dev.multipath.cc;

/**
 * A congestion controller of one path: decides how many bytes may be in flight and how fast to pace them.
 * Bytes are frame lengths as sent (header, payload, tag), the same measure the ACKs count.
 *
 * <p>Threading: not thread-safe; called under the path's sender-side lock (see {@link PathController}).
 * {@link #congestionWindow()} and {@link #pacingRateBytesPerSecond()} may be read from any thread for status
 * (implementations keep them in volatile fields). No allocation per call.
 */
public interface CongestionController {

    /** The controller's name as written in config: "bbr" or "cubic". */
    String name();

    /** A frame of {@code bytes} was sent; {@code bytesInFlight} includes it. */
    void onSent(long bytes, long bytesInFlight, long nowNanos);

    /**
     * An ACK acknowledged {@code ackedBytes} new bytes.
     *
     * @param rttSampleNanos the ACK's RTT sample (hold time removed), or -1 if it gave none
     * @param deliveryRateBytesPerSecond the ACK's delivery-rate sample, or -1 if it gave none
     * @param bytesInFlight bytes still in flight after this ACK
     */
    void onAck(long ackedBytes, long rttSampleNanos, long deliveryRateBytesPerSecond, long bytesInFlight,
            long nowNanos);

    /**
     * As {@link #onAck(long, long, long, long, long)}, saying whether the rate sample is application-limited (the
     * sender had nothing to send for part of it, so the path may carry more). A model-based controller should not
     * let such a sample lower its bandwidth estimate. Default: the flag is ignored.
     */
    default void onAck(long ackedBytes, long rttSampleNanos, long deliveryRateBytesPerSecond,
            boolean rateAppLimited, long bytesInFlight, long nowNanos) {
        onAck(ackedBytes, rttSampleNanos, deliveryRateBytesPerSecond, bytesInFlight, nowNanos);
    }

    /**
     * The sender had a frame waiting but the congestion window was full: the path, not the application, limits the
     * sending now. Default: ignored.
     */
    default void onWindowLimited() {
    }

    /** Frames of {@code lostBytes} in total were declared lost; {@code bytesInFlight} no longer includes them. */
    void onLoss(long lostBytes, long bytesInFlight, long nowNanos);

    /**
     * Whether the controller has found the path's capacity (BBR: left STARTUP); may be read from any thread.
     * Default: true.
     */
    default boolean capacityKnown() {
        return true;
    }

    /** Bytes that may be in flight. */
    long congestionWindow();

    /** The rate at which to pace frames, bytes per second (&gt; 0). */
    long pacingRateBytesPerSecond();

    /** Back to the initial state (the path died and came back: its capacity is unknown again). */
    void reset(long nowNanos);
}
