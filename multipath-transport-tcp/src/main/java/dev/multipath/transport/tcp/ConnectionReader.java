package dev.multipath.transport.tcp;

import dev.multipath.api.FrameSink;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.slf4j.LoggerFactory;

/**
 * The receive loop of one TCP connection: reads into the decoder's reused buffer and hands each frame to the
 * sink. Runs on the connection's own platform thread until the connection ends.
 */
final class ConnectionReader {

    /** How a connection ended. */
    enum End { PEER_CLOSED, IO_ERROR, BAD_LENGTH, SINK_FAILED }

    private ConnectionReader() {
    }

    /**
     * Runs until end of stream, an I/O error (including the channel being closed by another thread), or an
     * invalid length prefix. Does not close the channel.
     */
    static End run(SocketChannel ch, LengthPrefixDecoder decoder, TcpLink link, FrameSink sink) {
        LengthPrefixDecoder.Handler handler = frame -> sink.onFrame(link, frame);
        try {
            while (true) {
                if (ch.read(decoder.readSpace()) < 0) {
                    return End.PEER_CLOSED;
                }
                if (!decoder.drain(handler)) {
                    return End.BAD_LENGTH;
                }
            }
        } catch (IOException e) {
            return End.IO_ERROR;
        } catch (RuntimeException e) {
            // A sink bug must not kill the thread silently; the caller logs it and drops the connection.
            LoggerFactory.getLogger(ConnectionReader.class).error("frame sink threw on {}; dropping connection", link, e);
            return End.SINK_FAILED;
        }
    }
}
