package dev.multipath.engine;

import dev.multipath.buffer.Packet;

/**
 * Where {@link PortalCore} hands the control frames it builds (acks, probe replies) and whom it wakes, so that the
 * core itself does no I/O. The threaded runtime queues frames on the path's sender; the simulator sends them on its
 * simulated link.
 */
public interface ControlOutput {

    /** Sends the sealed frame {@code frame.data()[0, frame.frameLength())} on {@code path}; takes ownership. */
    void send(EnginePath path, Packet frame);

    /** Something changed that may let {@code path} send (an ack opened its window). */
    void wake(EnginePath path);
}
