package dev.multipath.sim;

import dev.multipath.api.Link;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * One end of a simulated link: frames sent here are serialised at the link's rate and arrive at the other end after
 * its delay, unless lost. A sender may only send while {@link #idle()}; the link has no buffer of its own, so the
 * scheduler's queue is the only queue (as with a small socket buffer).
 */
public final class SimLink implements Link {

    private final SimClock clock;
    private final SimLinkSpec spec;
    private final String name;
    private SimLink peer;
    private BiConsumer<SimLink, byte[]> receiver;
    private Runnable onIdle;
    private long busyUntil;
    private long sent;
    private boolean failed;
    private long lost;

    SimLink(SimClock clock, SimLinkSpec spec, String name) {
        this.clock = clock;
        this.spec = spec;
        this.name = name;
    }

    static SimLink[] pair(SimClock clock, SimLinkSpec spec, String name) {
        SimLink a = new SimLink(clock, spec, name + "/a");
        SimLink b = new SimLink(clock, spec, name + "/b");
        a.peer = b;
        b.peer = a;
        return new SimLink[] {a, b};
    }

    void onReceive(BiConsumer<SimLink, byte[]> receiver) {
        this.receiver = receiver;
    }

    void onIdle(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** Whether the sender may hand over the next frame now. */
    boolean idle() {
        return clock.now() >= busyUntil;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        if (!isUp()) {
            return false;
        }
        byte[] bytes = new byte[frame.remaining()];
        frame.get(bytes);
        long serialisation = bytes.length * 8L * 1_000_000_000L / spec.bitsPerSecond();
        busyUntil = Math.max(busyUntil, clock.now()) + serialisation;
        long number = sent++;
        if (spec.stopAfter() >= 0 && number >= spec.stopAfter()) {
            fail();
        }
        if (onIdle != null) {
            clock.at(busyUntil, onIdle);
        }
        if (failed || spec.lose().contains(number)) {
            lost++;
            return true;
        }
        long arrival = busyUntil + spec.delayNanos();
        SimLink to = peer;
        clock.at(arrival, () -> {
            if (to.receiver != null && !to.failed) {
                to.receiver.accept(to, bytes);
            }
        });
        return true;
    }

    private void fail() {
        if (!failed) {
            failed = true;
            peer.failed = true;
        }
    }

    /** Whether this link has failed (also true for a silent failure, which {@link #isUp()} hides). */
    public boolean failed() {
        return failed;
    }

    /** Frames handed to this end. */
    long framesSent() {
        return sent;
    }

    /** Frames sent from this end that never arrived. */
    public long framesLost() {
        return lost;
    }

    @Override
    public boolean isUp() {
        return !failed || spec.silentFailure();
    }

    @Override
    public int maxFrameSize() {
        return 65535;
    }

    @Override
    public String remoteDescription() {
        return "sim:" + name;
    }
}
