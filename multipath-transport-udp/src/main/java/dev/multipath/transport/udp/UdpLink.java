package dev.multipath.transport.udp;

import dev.multipath.api.Link;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP link: a socket and the peer's address. On the connecting side the socket is connected and this is its
 * only link; on the listening side the socket is shared and there is one link per peer source address.
 *
 * <p>{@link #send} never throws for network conditions: an unreachable network, a firewall's EPERM, an ICMP port
 * unreachable, a closed socket all make it return false, and are counted. Thread-safe (the channel serialises
 * concurrent sends).
 */
public final class UdpLink implements Link {

    private static final Logger LOG = LoggerFactory.getLogger(UdpLink.class);

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

    /** Null when UDP segmentation offload is not available (then batches go frame by frame). */
    private GsoSender gso;
    private final Object gsoLock = new Object();
    private final AtomicLong offloadedSends = new AtomicLong();

    UdpLink(DatagramChannel channel, InetSocketAddress remote, boolean connected, int maxFrameSize) {
        this.gso = GsoSender.open(channel, connected ? null : remote);
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

    /**
     * Sends the frames in order; each run of equal-sized frames (the run's last may be shorter) goes in one UDP
     * segmentation-offload send when the kernel offers it ({@link GsoSender}), else frame by frame.
     */
    @Override
    public int sendBatch(ByteBuffer[] frames, int count) {
        GsoSender g = gso;
        if (g == null || count < 2) {
            return sendEach(frames, 0, count);
        }
        synchronized (gsoLock) {
            int i = 0;
            while (i < count) {
                if (!up) {
                    return i;
                }
                int segment = frames[i].remaining();
                int end = i + 1;
                int bytes = segment;
                // A run: equal sizes; a shorter frame ends it; bounded by the kernel's segment and byte limits.
                while (end < count && end - i < GsoSender.MAX_SEGMENTS && segment <= maxFrameSize) {
                    int n = frames[end].remaining();
                    if (n > segment || bytes + n > GsoSender.MAX_BYTES) {
                        break;
                    }
                    bytes += n;
                    end++;
                    if (n < segment) {
                        break;
                    }
                }
                if (end - i == 1 || segment > maxFrameSize) {
                    if (!send(frames[i])) {
                        return i;
                    }
                    i++;
                    continue;
                }
                int r = g.send(frames, i, end - i, segment);
                if (r == GsoSender.UNSUPPORTED) {
                    LOG.info("UDP segmentation offload refused on {} (errno {}): frame by frame from now on",
                            description, g.lastErrno());
                    gso = null;
                    return i + sendEach(frames, i, count - i);
                }
                if (r < 0) {
                    sendFailures.incrementAndGet();
                    lastSendError = "sendmsg errno " + g.lastErrno();
                    return i;
                }
                offloadedSends.incrementAndGet();
                i = end;
            }
            return count;
        }
    }

    private int sendEach(ByteBuffer[] frames, int from, int count) {
        for (int i = 0; i < count; i++) {
            if (!send(frames[from + i])) {
                return i;
            }
        }
        return count;
    }

    /** Sends that carried several frames in one segmentation-offload datagram. */
    public long offloadedSends() {
        return offloadedSends.get();
    }

    /** Whether this link currently uses UDP segmentation offload for batches. */
    public boolean offloadActive() {
        return gso != null;
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
