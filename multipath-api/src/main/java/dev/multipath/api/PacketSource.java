package dev.multipath.api;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the portal's IP packets come from and go to: a TUN device, or an in-memory source in tests.
 *
 * <p>Threading: exactly one thread calls {@link #read} and exactly one (other) thread calls {@link #write};
 * {@link #close} may be called from any thread and must unblock a reader blocked in {@link #read}.
 *
 * <p>Buffers: the caller owns every buffer; the source never keeps a reference after the call returns.
 * Both calls move whole packets: one call, one IP packet.
 *
 * <p>Errors: an {@link IOException} means the source is unusable (closed or device gone); a packet that
 * cannot be written (malformed, too big) is dropped by the source and counted, not thrown.
 */
public interface PacketSource extends Closeable {

    /**
     * Reads one IP packet into {@code dst}, starting at its position and never past its limit, and advances
     * the position by the packet's length. A packet longer than {@code dst.remaining()} is truncated by the
     * kernel; callers size buffers for {@link #mtu()}.
     *
     * @return the packet length, or -1 once the source is closed
     */
    int read(ByteBuffer dst) throws IOException;

    /** Writes the packet between {@code src}'s position and limit, and advances the position to the limit. */
    void write(ByteBuffer src) throws IOException;

    /**
     * Writes out anything {@link #write} held back. A source may hold packets briefly to write several in one go
     * (a TUN device with offload joins consecutive TCP segments); the writer calls this whenever it has no more
     * packets at hand, so nothing is ever held while the writer waits. The default holds nothing and does nothing.
     */
    default void flush() throws IOException {
    }

    /**
     * The source's own counters for status and metrics (name to value; a TUN device reports its offload work and its
     * drops), read at any time from any thread. The default has none.
     */
    default java.util.Map<String, Long> counters() {
        return java.util.Map.of();
    }

    /** The largest packet this source reads or writes, in bytes (the TUN device's MTU). */
    int mtu();

    /** A short name for logs and status, such as the TUN interface name. */
    String name();
}
