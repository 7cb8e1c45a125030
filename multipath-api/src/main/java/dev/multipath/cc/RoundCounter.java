package dev.multipath.cc;

/**
 * Counts round trips by delivered data (as BBR does): a round ends when the bytes acknowledged since the round
 * began exceed the bytes that were in flight when it began, i.e. when data sent after the round began is being
 * acknowledged. Not thread-safe; no allocation.
 */
final class RoundCounter {

    private long acked;
    private long roundEnd;
    private long rounds;

    /** Adds an ACK; returns true if it ended a round. */
    boolean onAck(long ackedBytes, long bytesInFlight) {
        acked += ackedBytes;
        if (acked >= roundEnd) {
            roundEnd = acked + Math.max(1, bytesInFlight);
            rounds++;
            return true;
        }
        return false;
    }

    long rounds() {
        return rounds;
    }

    void reset() {
        acked = 0;
        roundEnd = 0;
        rounds = 0;
    }
}
