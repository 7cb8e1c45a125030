package dev.multipath.bench;

import dev.multipath.api.Link;
import java.nio.ByteBuffer;

/**
 * A {@link Link} that is always up and sends nothing, for driving {@link dev.multipath.engine.PortalCore} without a
 * transport: the benchmark copies each frame itself, as a transport would.
 */
final class BenchLink implements Link {

    private final boolean reliable;

    /** @param reliable whether to look like a TCP link (no engine pacing) or a datagram link */
    BenchLink(boolean reliable) {
        this.reliable = reliable;
    }

    @Override
    public boolean send(ByteBuffer frame) {
        frame.position(frame.limit());
        return true;
    }

    @Override
    public boolean isUp() {
        return true;
    }

    @Override
    public int maxFrameSize() {
        return 65535;
    }

    @Override
    public boolean isReliable() {
        return reliable;
    }

    @Override
    public String remoteDescription() {
        return "bench";
    }
}
