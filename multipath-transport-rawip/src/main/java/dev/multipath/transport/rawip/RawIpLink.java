package dev.multipath.transport.rawip;

import dev.multipath.api.Link;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/**
 * One peer address reached through a raw IP socket. There is no connection: the link is up from the moment it exists
 * (connecting side: at start; listening side: at the first datagram from that address) until the transport closes or
 * the listener evicts it from its table.
 *
 * <p>Threading: {@link #send} from any thread (the socket serializes whole datagrams); {@link #touch} from the
 * receiver thread; the rest from anywhere.
 */
final class RawIpLink implements Link {

    private final RawIpTransport owner;
    private final RawSocket socket;
    final InetAddress remote;
    /** The destination sockaddr, copied into native memory under the socket's send lock at each send. */
    private final byte[] sockaddr;
    final long keyHi;
    final long keyLo;
    private final int maxFrameSize;
    private final String description;
    private volatile boolean up = true;
    /** Receiver thread only writes it; the table reads it on the same thread. */
    long lastSeenNanos;

    RawIpLink(RawIpTransport owner, RawSocket socket, int protocol, InetAddress remote, long keyHi, long keyLo,
            int maxFrameSize, long nowNanos) {
        this.owner = owner;
        this.socket = socket;
        this.remote = remote;
        this.sockaddr = SockAddr.encode(remote);
        this.keyHi = keyHi;
        this.keyLo = keyLo;
        this.maxFrameSize = maxFrameSize;
        this.description = remote.getHostAddress() + " proto " + protocol;
        this.lastSeenNanos = nowNanos;
    }

    /**
     * Sends one frame (position to limit, left unchanged) as the payload of one IP datagram. Blocks only while the
     * socket's send buffer is full. Concurrent calls are safe: each frame leaves whole.
     *
     * @return false if the link is down, the frame is empty or larger than {@link #maxFrameSize()} (or the path MTU
     *     turned out smaller: EMSGSIZE), or the kernel refused it (no route, ICMP error pending, queue full); every
     *     false is counted by the transport
     */
    @Override
    public boolean send(ByteBuffer frame) {
        if (!up) {
            return false;
        }
        int len = frame.remaining();
        if (len == 0 || len > maxFrameSize) {
            owner.countRefused();
            return false;
        }
        int r = socket.send(frame, sockaddr);
        if (r == len) {
            owner.countSent(len);
            return true;
        }
        if (r == RawSocket.TOO_BIG) {
            owner.countRefused();
        } else if (r != RawSocket.CLOSED) {
            owner.countSendError(socket);
        }
        return false;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    void markDown() {
        up = false;
    }

    @Override
    public int maxFrameSize() {
        return maxFrameSize;
    }

    @Override
    public String remoteDescription() {
        return description;
    }

    @Override
    public String toString() {
        return "rawip:" + description;
    }
}
