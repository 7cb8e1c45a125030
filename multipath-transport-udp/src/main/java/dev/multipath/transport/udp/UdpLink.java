package dev.multipath.transport.udp;

import dev.multipath.api.Link;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One UDP link: a socket and the peer's address. On the connecting side the socket is connected and this is its
 * only link; on the listening side the socket is shared and there is one link per peer source address.
 *
 * <p>{@link #send} never throws for network conditions: an unreachable network, a firewall's EPERM, an ICMP port
 * unreachable, a closed socket all make it return false, and are counted. Thread-safe (the channel serialises
 * concurrent sends).
 */
public final class UdpLink implements Link {

    private final DatagramChannel channel;
    /** Null when the channel is connected (send with write). */
    private final InetSocketAddress target;
    private final InetSocketAddress remote;
    private final int maxFrameSize;
    private final String description;
    private volatile boolean up = true;
    /** Set by the engine once an authenticated frame arrived here; see {@link PeerTable#add}. */
    private volatile boolean authenticated;
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile String lastSendError = "";

    UdpLink(DatagramChannel channel, InetSocketAddress remote, boolean connected, int maxFrameSize) {
        this.channel = channel;
        this.remote = remote;
        this.target = connected ? null : remote;
        this.maxFrameSize = maxFrameSize;
        this.description = remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }

    /**
     * Sends one frame as one datagram (consumes position to limit).
     *
     * @return true if the kernel accepted the datagram; false if the link is down, the frame exceeds
     *         {@link #maxFrameSize()}, or the send failed (counted in {@link #sendFailures()})
     */
    @Override
    public boolean send(ByteBuffer frame) {
        if (!up || frame.remaining() > maxFrameSize) {
            sendFailures.incrementAndGet();
            return false;
        }
        try {
            int n = target == null ? channel.write(frame) : channel.send(frame, target);
            return n > 0;
        } catch (ClosedChannelException e) {
            return false;
        } catch (IOException | RuntimeException e) {
            // ENETUNREACH, EPERM (firewall), EADDRNOTAVAIL (address gone), ECONNREFUSED (ICMP port unreachable
            // on a connected socket): conditions of the network, not bugs. The engine sees a failed send.
            sendFailures.incrementAndGet();
            lastSendError = String.valueOf(e.getMessage());
            return false;
        }
    }

    @Override
    public boolean isUp() {
        return up && channel.isOpen();
    }

    @Override
    public void markAuthenticated() {
        authenticated = true;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    void setUp(boolean up) {
        this.up = up;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public String remoteDescription() {
        return description;
    }

    /** The peer's address. */
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Sends that failed (network errors, oversized frames, link down). */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** The message of the last failed send, "" if none. */
    public String lastSendError() {
        return lastSendError;
    }

    @Override
    public String toString() {
        return "udp:" + description;
    }
}
