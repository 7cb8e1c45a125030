package dev.multipath.sim;

import java.util.Set;

/**
 * One simulated path, as the seed's plan describes its mock connections: a rate, a one-way delay, a list of packet
 * numbers to lose, and a number of packets after which it stops carrying anything.
 *
 * @param bitsPerSecond serialisation rate of each direction
 * @param delayNanos    one-way propagation delay
 * @param lose          0-based numbers of frames (per direction, counted at the sender) that are lost
 * @param stopAfter     frames carried per direction before the link fails, or -1 for never
 * @param silentFailure true: a failed link drops everything but still looks up (a black hole); false: it reports
 *                      itself down to both ends (like a reset TCP connection)
 */
public record SimLinkSpec(long bitsPerSecond, long delayNanos, Set<Long> lose, long stopAfter, boolean silentFailure) {

    public static SimLinkSpec of(long bitsPerSecond, long delayNanos) {
        return new SimLinkSpec(bitsPerSecond, delayNanos, Set.of(), -1, false);
    }

    public SimLinkSpec losing(Set<Long> frameNumbers) {
        return new SimLinkSpec(bitsPerSecond, delayNanos, Set.copyOf(frameNumbers), stopAfter, silentFailure);
    }

    public SimLinkSpec stoppingAfter(long frames, boolean silent) {
        return new SimLinkSpec(bitsPerSecond, delayNanos, lose, frames, silent);
    }
}
