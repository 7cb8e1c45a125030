package dev.multipath.transport.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UDP generic receive offload (Linux 5.0+): with {@code UDP_GRO} set, one {@code recvmsg} returns a run of
 * datagrams from one source that the kernel kept together (a peer's segmentation-offload send arrives whole) with
 * their segment size in a control message; {@link #receive} returns the run and {@link #segment} says how to cut it.
 * The datagrams are exactly the ones sent: only the number of system calls and trips through the stack changes.
 *
 * <p>Works on the descriptor of the transport's {@link DatagramChannel} (as {@link GsoSender}) with a receive
 * timeout ({@link #TIMEOUT_MILLIS}), so the receive thread sees its transport closing; the transport joins that thread
 * before it closes the channel, so no call ever reaches a closed (and perhaps reused) descriptor. One receive thread
 * uses it. Native memory: a 64 KiB data buffer, the msghdr, one iovec, the control buffer and the source address,
 * allocated once.
 */
final class GroReceiver {

    static final int TIMEOUT_MILLIS = 100;
    /** {@link #receive} result: nothing within the timeout, or interrupted. */
    static final int AGAIN = -1;
    /** {@link #receive} result: a network error reported on the socket (ICMP unreachable and the like). */
    static final int ERROR = -2;

    private static final Logger LOG = LoggerFactory.getLogger(GroReceiver.class);
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int SOL_UDP = 17;
    private static final int UDP_GRO = 104;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int DATA_BYTES = 65536;
    // Header block: msghdr 56 bytes at 0, iovec 16 at 64, sockaddr_storage 128 at 80, control 64 at 208, option 16
    // at 272.
    private static final int IOV_AT = 64;
    private static final int NAME_AT = 80;
    private static final int NAME_BYTES = 128;
    private static final int CONTROL_AT = 208;
    private static final int CONTROL_BYTES = 64;
    private static final int OPTION_AT = 272;
    private static final int HEADER_BYTES = 288;
    private static final int SOURCE_CACHE = 8;


    private final int fd;
    /** Bound once per JVM; non-null here (checked in open). */
    private final UdpLibc.Calls libc = UdpLibc.calls();
    private final ByteBuffer header = ByteBuffer.allocateDirect(HEADER_BYTES).order(ByteOrder.nativeOrder());
    private final ByteBuffer data = ByteBuffer.allocateDirect(DATA_BYTES);
    private final long headerAddress;
    private int segment;
    /** Recent sources: raw sockaddr bytes and the address made from them (no allocation per datagram). */
    private final byte[][] sourceKeys = new byte[SOURCE_CACHE][];
    private final InetSocketAddress[] sources = new InetSocketAddress[SOURCE_CACHE];
    private int nextSourceSlot;
    private final byte[] key = new byte[22];

    private GroReceiver(int fd) {
        this.fd = fd;
        this.headerAddress = Pointer.wrap(UdpLibc.runtime(), header).address();
        header.putLong(16, headerAddress + IOV_AT); // msg_iov
        header.putLong(24, 1); // msg_iovlen
        header.putLong(IOV_AT, Pointer.wrap(UdpLibc.runtime(), data).address());
        header.putLong(IOV_AT + 8, DATA_BYTES);
    }

    /**
     * A receiver on {@code channel}'s socket with UDP_GRO and a receive timeout set, or null when that cannot be
     * had here (no access to the descriptor, an older kernel, or {@code MP_UDP_GSO=off}); the transport then reads
     * through the channel.
     */
    static GroReceiver open(DatagramChannel channel) {
        if ("off".equals(System.getenv("MP_UDP_GSO"))) {
            return null;
        }
        int fd = GsoSender.fdOf(channel);
        if (fd < 0 || UdpLibc.calls() == null) {
            return null;
        }
        GroReceiver r = new GroReceiver(fd);
        ByteBuffer h = r.header;
        h.putInt(OPTION_AT, 1);
        if (r.libc.setsockopt(fd, SOL_UDP, UDP_GRO, r.headerAddress + OPTION_AT, 4) != 0) {
            LOG.info("UDP receive offload off: the kernel refuses UDP_GRO (errno {})",
                    UdpLibc.errno());
            return null;
        }
        h.putLong(OPTION_AT, 0); // struct timeval: seconds, microseconds
        h.putLong(OPTION_AT + 8, TIMEOUT_MILLIS * 1000L);
        if (r.libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, r.headerAddress + OPTION_AT, 16) != 0) {
            h.putInt(OPTION_AT, 0);
            r.libc.setsockopt(fd, SOL_UDP, UDP_GRO, r.headerAddress + OPTION_AT, 4);
            return null;
        }
        return r;
    }

    /**
     * Waits up to {@link #TIMEOUT_MILLIS} for datagrams.
     *
     * @return the bytes received (one datagram, or a run of {@link #segment}-sized ones), {@link #AGAIN} or
     *         {@link #ERROR}
     */
    int receive() {
        header.putLong(0, headerAddress + NAME_AT); // msg_name
        header.putInt(8, NAME_BYTES); // msg_namelen
        header.putLong(32, headerAddress + CONTROL_AT); // msg_control
        header.putLong(40, CONTROL_BYTES); // msg_controllen
        header.putInt(48, 0);
        long n = libc.recvmsg(fd, headerAddress, 0);
        if (n < 0) {
            int errno = UdpLibc.errno();
            return errno == EAGAIN || errno == EINTR ? AGAIN : ERROR;
        }
        segment = (int) n;
        long controlLength = header.getLong(40);
        int at = 0;
        while (at + 16 <= controlLength) {
            long length = header.getLong(CONTROL_AT + at);
            int level = header.getInt(CONTROL_AT + at + 8);
            int type = header.getInt(CONTROL_AT + at + 12);
            if (length < 16) {
                break;
            }
            if (level == SOL_UDP && type == UDP_GRO && length >= 20) {
                int size = header.getInt(CONTROL_AT + at + 16);
                if (size > 0 && size < n) {
                    segment = size;
                }
            }
            at += (int) ((length + 7) & ~7L);
        }
        return (int) n;
    }

    /** Size of each datagram in the last run (the last one may be shorter); the whole length if one datagram. */
    int segment() {
        return segment;
    }

    /** The native data buffer; the caller sets position and limit to each datagram in turn. */
    ByteBuffer data() {
        return data;
    }

    /** The source of the last run, from a small cache (allocates only for a source not seen recently). */
    InetSocketAddress source() {
        int family = header.getShort(NAME_AT) & 0xffff;
        int length;
        if (family == 2) {
            length = 4;
            for (int i = 0; i < 4; i++) {
                key[i] = header.get(NAME_AT + 4 + i);
            }
        } else if (family == 10) {
            length = 16;
            for (int i = 0; i < 16; i++) {
                key[i] = header.get(NAME_AT + 8 + i);
            }
        } else {
            return null;
        }
        key[length] = header.get(NAME_AT + 2); // port, network order
        key[length + 1] = header.get(NAME_AT + 3);
        int scope = family == 10 ? header.getInt(NAME_AT + 24) : 0;
        int keyLength = length + 2;
        if (family == 10) {
            for (int i = 0; i < 4; i++) {
                key[keyLength++] = header.get(NAME_AT + 24 + i);
            }
        }
        for (int s = 0; s < SOURCE_CACHE; s++) {
            byte[] k = sourceKeys[s];
            if (k != null && k.length == keyLength && Arrays.equals(k, 0, keyLength, key, 0, keyLength)) {
                return sources[s];
            }
        }
        try {
            int port = ((key[length] & 0xff) << 8) | (key[length + 1] & 0xff);
            byte[] raw = Arrays.copyOf(key, length);
            InetAddress address = family == 10 && scope != 0 ? java.net.Inet6Address.getByAddress(null, raw, scope)
                    : InetAddress.getByAddress(raw);
            InetSocketAddress a = new InetSocketAddress(address, port);
            int slot = nextSourceSlot;
            nextSourceSlot = (slot + 1) % SOURCE_CACHE;
            sourceKeys[slot] = Arrays.copyOf(key, keyLength);
            sources[slot] = a;
            return a;
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }
}
