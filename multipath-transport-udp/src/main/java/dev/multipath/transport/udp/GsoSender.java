package dev.multipath.transport.udp;

import java.lang.reflect.Method;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP generic segmentation offload (Linux 4.18+): one {@code sendmsg} with a {@code UDP_SEGMENT} control message
 * carries up to {@link #MAX_SEGMENTS} equal-sized frames (the last may be shorter), which the kernel sends as that
 * many datagrams, identical on the wire to one {@code send} each, after one pass through the socket layer and the
 * stack: on a machine where a system call is expensive this is most of a datagram's cost.
 *
 * <p>Works on the file descriptor of the transport's {@link DatagramChannel} (found by reflection: needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}, which the portal's jar manifest grants); where that or the
 * kernel refuses, {@link #open} returns null or {@link #send} reports {@link #UNSUPPORTED}, and the link sends frame
 * by frame. Not thread-safe: the link serialises callers. Native memory: one buffer of {@link #MAX_BYTES} for the
 * frames, the msghdr, one iovec, the control message and the destination address, allocated once; every length
 * passed is at most the memory it describes.
 */
final class GsoSender {

    /** The kernel's limit on segments per send (UDP_MAX_SEGMENTS). */
    static final int MAX_SEGMENTS = 64;
    /** Payload bytes of one offloaded send: below 65535 minus IPv6 and UDP headers. */
    static final int MAX_BYTES = 65_000;
    /** {@link #send} result: the kernel or socket does not take UDP_SEGMENT; stop using it on this link. */
    static final int UNSUPPORTED = -2;
    /** {@link #send} result: a network error (unreachable, refused, no buffer); nothing was sent. */
    static final int FAILED = -1;

    private static final Logger LOG = LoggerFactory.getLogger(GsoSender.class);
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    private static final int EINVAL = 22;
    private static final int EIO = 5;
    private static final int ENOPROTOOPT = 92;
    private static final int EOPNOTSUPP = 95;
    private static final int EAFNOSUPPORT = 97;
    // Layout of the header block (x86-64 / aarch64 LP64): msghdr 56 bytes, iovec 16, cmsg 24, sockaddr 28.
    private static final int MSG_AT = 0;
    private static final int IOV_AT = 64;
    private static final int CMSG_AT = 80;
    private static final int CMSG_SPACE = 24;
    private static final int ADDR_AT = 104;
    private static final int HEADER_BYTES = 136;


    private final int fd;
    /** Bound once per JVM; non-null here (checked in open). */
    private final UdpLibc.Calls libc = UdpLibc.calls();
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer data = ByteBuffer.allocateDirect(MAX_BYTES).order(ByteOrder.nativeOrder());
    private final long headerAddress;
    private final long dataAddress;
    private int lastErrno;

    private GsoSender(int fd, InetSocketAddress target) {
        this.fd = fd;
        this.headerAddress = Pointer.wrap(UdpLibc.runtime(), header).address();
        this.dataAddress = Pointer.wrap(UdpLibc.runtime(), data).address();
        int nameLength = target == null ? 0 : writeSockAddr(target);
        header.putLong(MSG_AT, nameLength == 0 ? 0 : headerAddress + ADDR_AT); // msg_name
        header.putInt(MSG_AT + 8, nameLength); // msg_namelen
        header.putLong(MSG_AT + 16, headerAddress + IOV_AT); // msg_iov
        header.putLong(MSG_AT + 24, 1); // msg_iovlen
        header.putLong(MSG_AT + 32, headerAddress + CMSG_AT); // msg_control
        header.putLong(MSG_AT + 40, CMSG_SPACE); // msg_controllen
        header.putInt(MSG_AT + 48, 0); // msg_flags
        header.putLong(IOV_AT, dataAddress); // iov_base
        header.putLong(CMSG_AT, 16 + 2); // cmsg_len = CMSG_LEN(sizeof(uint16_t))
        header.putInt(CMSG_AT + 8, SOL_UDP);
        header.putInt(CMSG_AT + 12, UDP_SEGMENT);
    }

    /**
     * A sender on {@code channel}'s socket, to {@code target} (null: the socket is connected), or null when UDP GSO
     * cannot be used here (not Linux x86-64/aarch64, no access to the descriptor, libc not loadable, or turned off
     * with the environment variable {@code MP_UDP_GSO=off}).
     */
    static GsoSender open(DatagramChannel channel, InetSocketAddress target) {
        if ("off".equals(System.getenv("MP_UDP_GSO")) || !supportedPlatform()) {
            return null;
        }
        int fd = fdOf(channel);
        if (fd < 0 || UdpLibc.calls() == null) {
            return null;
        }
        return new GsoSender(fd, target);
    }

    private static boolean supportedPlatform() {
        String arch = System.getProperty("os.arch", "");
        return System.getProperty("os.name", "").equals("Linux")
                && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }

    /** The channel's file descriptor, or -1 if the JDK does not let us see it. */
    static int fdOf(DatagramChannel channel) {
        try {
            Method m = channel.getClass().getMethod("getFDVal");
            m.setAccessible(true);
            return (Integer) m.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("UDP segmentation offload off: no access to the socket's descriptor ({})", e.toString());
            return -1;
        }
    }

    private int writeSockAddr(InetSocketAddress target) {
        int port = target.getPort();
        header.put(ADDR_AT + 2, (byte) (port >>> 8));
        header.put(ADDR_AT + 3, (byte) port);
        byte[] raw = target.getAddress().getAddress();
        if (target.getAddress() instanceof Inet4Address) {
            header.putShort(ADDR_AT, (short) 2); // AF_INET
            header.put(ADDR_AT + 4, raw);
            return 16;
        }
        header.putShort(ADDR_AT, (short) 10); // AF_INET6
        header.put(ADDR_AT + 8, raw);
        header.putInt(ADDR_AT + 24, ((Inet6Address) target.getAddress()).getScopeId());
        return 28;
    }

    /**
     * Sends {@code frames[from, from + count)} as one offloaded send: every frame but the last exactly
     * {@code segment} bytes, the last at most that, at most {@link #MAX_SEGMENTS} frames and {@link #MAX_BYTES} in
     * all (the caller groups them so). Consumes the frames' remaining bytes only when sent.
     *
     * @return the bytes sent, {@link #FAILED} or {@link #UNSUPPORTED}
     */
    int send(ByteBuffer[] frames, int from, int count, int segment) {
        int total = 0;
        for (int i = from; i < from + count; i++) {
            ByteBuffer f = frames[i];
            int n = f.remaining();
            data.put(total, f, f.position(), n);
            total += n;
        }
        header.putLong(IOV_AT + 8, total); // iov_len
        header.putShort(CMSG_AT + 16, (short) segment);
        long sent = libc.sendmsg(fd, headerAddress + MSG_AT, 0);
        if (sent < 0) {
            lastErrno = UdpLibc.errno();
            return lastErrno == EINVAL || lastErrno == EIO || lastErrno == ENOPROTOOPT || lastErrno == EOPNOTSUPP
                    || lastErrno == EAFNOSUPPORT ? UNSUPPORTED : FAILED;
        }
        for (int i = from; i < from + count; i++) {
            frames[i].position(frames[i].limit());
        }
        return (int) sent;
    }

    /** errno of the last failed send. */
    int lastErrno() {
        return lastErrno;
    }
}
