package dev.multipath.transport.tcp;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/** Socket options every path connection gets, on both sides. */
final class SocketSetup {

    /**
     * Send buffer size. Small on purpose: a full buffer blocks {@code Link.send}, which is how the engine's
     * scheduler learns a path's capacity; a deep buffer would hide it and add queueing delay (bufferbloat).
     */
    static final int SEND_BUFFER_BYTES = 16 * 1024;

    private SocketSetup() {
    }

    static void configure(SocketChannel ch) throws IOException {
        ch.configureBlocking(true);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, SEND_BUFFER_BYTES);
    }
}
