package dev.multipath.transport.tcp;

import dev.multipath.api.Link;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One TCP path as seen by the engine. On the connecting side the same link object survives reconnects: the
 * transport attaches each new connection to it. On the listening side each accepted connection gets its own link.
 *
 * <p>Threading: {@link #send} is called by one sender thread at a time (it owns {@link #out}); attach/detach come
 * from the connection's receive thread; {@link #isUp} and {@link #remoteDescription} from anywhere.
 */
final class TcpLink implements Link {

    private final String remoteDescription;
    /** Prefix plus frame, copied here so each frame goes out in one write and the caller keeps its buffer as is. */
    private final ByteBuffer out =
            ByteBuffer.allocateDirect(LengthPrefixDecoder.PREFIX + LengthPrefixDecoder.MAX_FRAME);
    /** The live connection, or null while the link is down. */
    private volatile SocketChannel channel;

    TcpLink(String remoteDescription) {
        this.remoteDescription = remoteDescription;
    }

    /**
     * Sends one frame (1..65535 bytes, position to limit), blocking while the socket's send buffer is full. The
     * frame's position and limit are left unchanged, so a caller may send the same buffer on another link.
     *
     * @return false if the link is down or the connection broke during the write (the receive thread then
     *     reports the link down)
     * @throws IllegalArgumentException if the frame is empty or longer than {@link #maxFrameSize()}
     */
    @Override
    public boolean send(ByteBuffer frame) throws IOException {
        int len = frame.remaining();
        if (len < 1 || len > LengthPrefixDecoder.MAX_FRAME) {
            throw new IllegalArgumentException("TCP frame length " + len + " outside 1.." + LengthPrefixDecoder.MAX_FRAME);
        }
        SocketChannel ch = channel;
        if (ch == null) {
            return false;
        }
        out.clear();
        out.putShort(0, (short) len);
        out.put(LengthPrefixDecoder.PREFIX, frame, frame.position(), len);
        out.limit(LengthPrefixDecoder.PREFIX + len);
        try {
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return true;
        } catch (IOException e) {
            // Peer reset, or our own close: closing makes the receive thread see the loss and report it once.
            detachIfCurrent(ch);
            closeQuietly(ch);
            return false;
        }
    }

    /** TCP delivers in order and runs its own congestion control: the engine only measures over it. */
    @Override
    public boolean isReliable() {
        return true;
    }

    @Override
    public boolean isUp() {
        return channel != null;
    }

    @Override
    public int maxFrameSize() {
        return LengthPrefixDecoder.MAX_FRAME;
    }

    @Override
    public String remoteDescription() {
        return remoteDescription;
    }

    void attach(SocketChannel ch) {
        channel = ch;
    }

    /** Marks the link down if {@code ch} is still its connection. */
    void detachIfCurrent(SocketChannel ch) {
        if (channel == ch) {
            channel = null;
        }
    }

    static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // Nothing useful to do: the socket is being abandoned either way.
        }
    }

    @Override
    public String toString() {
        return "tcp:" + remoteDescription;
    }
}
