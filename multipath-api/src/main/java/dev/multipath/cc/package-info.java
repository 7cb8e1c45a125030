/**
 * Transport-agnostic, sans-IO congestion control and path health for datagram transports (UDP, raw IP).
 *
 * <p>Everything here is a plain state machine driven by method calls and an explicit {@code long nowNanos}
 * (any monotonic clock, normally {@link System#nanoTime()}): no threads, no I/O, no allocation per frame. The
 * entry point for the engine is {@link dev.multipath.cc.PathController}, one per path; the other classes are
 * its parts and can be tested alone:
 * <ul>
 *   <li>{@link dev.multipath.cc.AckCodec} / {@link dev.multipath.cc.AckInfo}: the ACK frame payload;</li>
 *   <li>{@link dev.multipath.cc.AckGenerator}: receiver side, decides when an ACK is due and writes it;</li>
 *   <li>{@link dev.multipath.cc.SentPacketTracker}: sender side, the per-path ring of sent counters, RTT,
 *       delivery-rate and loss samples (RACK-style: 3 frames or 9/8 RTT);</li>
 *   <li>{@link dev.multipath.cc.RttEstimator}: RFC 6298 / RFC 9002 smoothed RTT, variance, windowed min;</li>
 *   <li>{@link dev.multipath.cc.CongestionController} with {@link dev.multipath.cc.Cubic} (RFC 9438) and
 *       {@link dev.multipath.cc.BbrLite} (BBR v1 shaped);</li>
 *   <li>{@link dev.multipath.cc.Pacer}: token bucket at the controller's pacing rate;</li>
 *   <li>{@link dev.multipath.cc.PathHealth} / {@link dev.multipath.cc.ProbeCodec}: liveness, probing,
 *       death and re-admission.</li>
 * </ul>
 *
 * <p>Frame facts relied on: the 32-bit frame counter is per session and direction and shared by all paths, so a
 * sender's counters on one path are increasing but not contiguous; the receiver therefore acknowledges per path
 * with its highest counter, cumulative frame and byte counts, and a short list of recently received counters,
 * and the sender maps those back onto its own per-path ring.
 *
 * <p>Internal to multipath-api: not API, may change at any time. module-info.java exports this package only to
 * our benchmarks; on the class path nothing stops a host program from using it, but nothing here is promised.
 */
package dev.multipath.cc;
