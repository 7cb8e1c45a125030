package dev.multipath.cc;

/**
 * One decoded ACK payload (see {@link AckCodec} for the layout). A mutable holder, reused for every ACK so that
 * decoding allocates nothing; owned by the thread that decodes into it.
 */
final class AckInfo {

    /** Most further counters an ACK may list besides the highest. */
    static final int MAX_RECENT = 32;

    /** The path this ACK acknowledges (it may travel on another path). */
    int pathId;
    /** Highest counter received on that path: the newest frame, whose receive-to-ACK hold time is given. */
    long highestCounter;
    /** Frames received on that path since the session began, modulo 2^32. */
    long framesReceived;
    /** Bytes (frame lengths) received on that path since the session began, modulo 2^48. */
    long bytesReceived;
    /** Microseconds the receiver held the highest frame before writing this ACK. */
    long holdMicros;
    /** How many entries of {@link #recent} are valid. */
    int recentCount;
    /** Further received counters, strictly descending, all below {@link #highestCounter}. */
    final long[] recent = new long[MAX_RECENT];

    /** Copies every field of {@code other} into this holder. */
    void copyFrom(AckInfo other) {
        pathId = other.pathId;
        highestCounter = other.highestCounter;
        framesReceived = other.framesReceived;
        bytesReceived = other.bytesReceived;
        holdMicros = other.holdMicros;
        recentCount = other.recentCount;
        System.arraycopy(other.recent, 0, recent, 0, other.recentCount);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AckInfo{path=").append(pathId).append(", highest=").append(highestCounter)
                .append(", frames=").append(framesReceived).append(", bytes=").append(bytesReceived)
                .append(", holdUs=").append(holdMicros).append(", recent=[");
        for (int i = 0; i < recentCount; i++) {
            sb.append(i == 0 ? "" : ",").append(recent[i]);
        }
        return sb.append("]}").toString();
    }
}
