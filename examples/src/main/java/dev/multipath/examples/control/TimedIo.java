package dev.multipath.examples.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * Reads and writes on a non-blocking {@link SocketChannel} with a deadline and a size bound, so that a peer
 * that stalls (sends half a line, never reads its answer) or floods cannot hold the caller for longer than the
 * deadline or make it buffer more than the bound. NIO channels ignore {@code SO_TIMEOUT}, hence the selector.
 *
 * <p>Threading: one instance per connection, used by one thread; closing it closes its selector, not the channel.
 */
final class TimedIo implements AutoCloseable {

    private final SocketChannel channel;
    private final Selector selector;
    private final long deadlineNanos;

    /** Puts {@code channel} in non-blocking mode; every later operation must finish within {@code timeoutMillis}. */
    TimedIo(SocketChannel channel, long timeoutMillis) throws IOException {
        this.channel = channel;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        channel.configureBlocking(false);
        this.selector = Selector.open();
    }

    /**
     * Reads up to and including the first '\n' and returns the bytes before it.
     *
     * @throws SocketTimeoutException if the deadline passes first
     * @throws IOException            if more than {@code maxBytes} arrive without a newline, or the peer closes first
     */
    byte[] readLine(int maxBytes) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            int n = channel.read(one);
            if (n < 0) {
                throw new IOException("connection closed before the end of the line");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ);
                continue;
            }
            byte b = one.get(0);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() >= maxBytes) {
                throw new IOException("line longer than " + maxBytes + " bytes");
            }
            line.write(b);
        }
    }

    /** Reads until the peer closes; fails past {@code maxBytes} or the deadline. */
    byte[] readAll(int maxBytes) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        while (true) {
            chunk.clear();
            int n = channel.read(chunk);
            if (n < 0) {
                return all.toByteArray();
            }
            if (n == 0) {
                await(SelectionKey.OP_READ);
                continue;
            }
            if (all.size() + n > maxBytes) {
                throw new IOException("answer longer than " + maxBytes + " bytes");
            }
            all.write(chunk.array(), 0, n);
        }
    }

    /** Writes every byte of {@code data}; fails at the deadline if the peer does not read. */
    void writeAll(byte[] data) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    /**
     * Discards what the peer still sends, until it closes, {@code maxBytes} or the deadline, ignoring errors.
     * Closing a socket with unread input makes the kernel reset the connection, and the peer would lose the
     * answer it has not read yet (an error about its oversized request, for example).
     */
    void drainQuietly(int maxBytes) {
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        int total = 0;
        try {
            while (total < maxBytes) {
                chunk.clear();
                int n = channel.read(chunk);
                if (n < 0) {
                    return;
                }
                if (n == 0) {
                    await(SelectionKey.OP_READ);
                }
                total += n;
            }
        } catch (IOException e) {
            // Best effort only.
        }
    }

    private void await(int operation) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        SelectionKey key = channel.keyFor(selector);
        if (key == null) {
            key = channel.register(selector, operation);
        } else {
            key.interestOps(operation);
        }
        selector.selectedKeys().clear();
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
