package dev.multipath.auth;

import dev.multipath.api.Authenticator;
import dev.multipath.api.DropReason;
import dev.multipath.frame.FrameHeader;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An authenticator that authenticates nothing: no tag, no handshake, session always present. It numbers frames
 * (the counter) so that the rest of the protocol behaves as with a real authenticator. For tests and for the
 * foundation milestone only; never use it across a network you do not control.
 */
public final class PassThroughAuthenticator implements Authenticator {

    private final AtomicLong counter = new AtomicLong();

    /** An authenticator that seals and checks nothing; it only numbers the frames it seals. */
    public PassThroughAuthenticator() {
    }

    @Override
    public int tagLength() {
        return 0;
    }

    @Override
    public boolean hasSession() {
        return true;
    }

    @Override
    public int seal(byte[] buf, int off, int payloadLength) {
        FrameHeader.setCounter(buf, off, counter.getAndIncrement() & FrameHeader.MAX_COUNTER);
        return FrameHeader.LENGTH + payloadLength;
    }

    @Override
    public int open(byte[] buf, int off, int length, long nowNanos) {
        return length < FrameHeader.LENGTH ? Authenticator.dropCode(DropReason.MALFORMED) : length - FrameHeader.LENGTH;
    }

    @Override
    public int pollHandshake(byte[] out, int off, long nowNanos) {
        return 0;
    }

    @Override
    public int onHandshake(byte[] in, int inOff, int length, byte[] out, int outOff, long nowNanos) {
        return Authenticator.dropCode(DropReason.UNEXPECTED_TYPE);
    }
}
