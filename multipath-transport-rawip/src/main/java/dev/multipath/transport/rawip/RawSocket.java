package dev.multipath.transport.rawip;

import static dev.multipath.transport.rawip.LinuxConstants.AF_INET;
import static dev.multipath.transport.rawip.LinuxConstants.AF_INET6;
import static dev.multipath.transport.rawip.LinuxConstants.EAGAIN;
import static dev.multipath.transport.rawip.LinuxConstants.EFD_CLOEXEC;
import static dev.multipath.transport.rawip.LinuxConstants.EFD_NONBLOCK;
import static dev.multipath.transport.rawip.LinuxConstants.EINTR;
import static dev.multipath.transport.rawip.LinuxConstants.EMSGSIZE;
import static dev.multipath.transport.rawip.LinuxConstants.IP_MTU_DISCOVER;
import static dev.multipath.transport.rawip.LinuxConstants.IP_PMTUDISC_DO;
import static dev.multipath.transport.rawip.LinuxConstants.IPV6_MTU_DISCOVER;
import static dev.multipath.transport.rawip.LinuxConstants.IPV6_PMTUDISC_DO;
import static dev.multipath.transport.rawip.LinuxConstants.MSG_DONTWAIT;
import static dev.multipath.transport.rawip.LinuxConstants.POLLIN;
import static dev.multipath.transport.rawip.LinuxConstants.SOCK_CLOEXEC;
import static dev.multipath.transport.rawip.LinuxConstants.SOCK_RAW;
import static dev.multipath.transport.rawip.LinuxConstants.SOL_IP;
import static dev.multipath.transport.rawip.LinuxConstants.SOL_IPV6;
import static dev.multipath.transport.rawip.LinuxConstants.SOL_SOCKET;
import static dev.multipath.transport.rawip.LinuxConstants.SO_RCVBUF;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;

/**
 * One raw IP socket ({@code socket(AF_INET[6], SOCK_RAW, protocol)}) with its native buffers and an eventfd that
 * {@link #close} signals to wake the receiver.
 *
 * <p>Threading: one receiver thread calls {@link #receive}; any number of threads call {@link #send}, serialized by a
 * lock (each frame goes out whole in one sendto); {@link #close} from any thread. The descriptor stays blocking, so a
 * send waits while the socket's send buffer is full (back-pressure); receives use MSG_DONTWAIT after a poll on the
 * socket and the eventfd, so close() wakes the receiver at once.
 *
 * <p>Memory: the receive buffer (64 KiB, the largest IPv4 datagram, so nothing is ever cut), the send buffer
 * ({@code maxPayload} bytes) and both sockaddr structs are allocated once; every count passed to the kernel is at most
 * the buffer it refers to.
 */
final class RawSocket {

    static final int RECEIVE_BUFFER_BYTES = 65536;
    /** Kernel receive buffer: room for bursts across many paths without drops in the socket queue. */
    private static final int SO_RCVBUF_BYTES = 4 << 20;
    private static final int POLL_TIMEOUT_MILLIS = 1000;

    /** {@link #receive} and {@link #send} results that are not byte counts. */
    static final int CLOSED = -1;
    static final int ERROR = -2;
    static final int TOO_BIG = -3;

    private final LibC.Calls libc = LibC.C;
    final boolean ipv6;
    final int protocol;
    private final int fd;
    private final int wakeFd;
    private final int maxPayload;

    // Receiver-owned native memory.
    private final ByteBuffer recvBuf = ByteBuffer.allocateDirect(RECEIVE_BUFFER_BYTES);
    private final Pointer recvPtr;
    /** Source address of the last datagram, big-endian view for reading address bytes. */
    private final ByteBuffer recvAddr = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
    private final Pointer recvAddrPtr;
    private final ByteBuffer recvAddrLen = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
    private final Pointer recvAddrLenPtr;
    private final ByteBuffer pollFds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final Pointer pollPtr;
    // Sender-owned (under sendLock) native memory.
    private final ByteBuffer sendBuf;
    private final Pointer sendPtr;
    private final ByteBuffer sendAddr = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
    private final Pointer sendAddrPtr;

    private final ReentrantLock recvLock = new ReentrantLock();
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile boolean closed;
    /** errno of the last {@link #ERROR} from receive (receiver thread) and send (under the send lock). */
    private int lastReceiveErrno;
    private int lastSendErrno;

    private RawSocket(boolean ipv6, int protocol, int fd, int wakeFd, int maxPayload) {
        this.ipv6 = ipv6;
        this.protocol = protocol;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.maxPayload = maxPayload;
        jnr.ffi.Runtime rt = LibC.RUNTIME;
        recvPtr = Pointer.wrap(rt, recvBuf);
        recvAddrPtr = Pointer.wrap(rt, recvAddr);
        recvAddrLenPtr = Pointer.wrap(rt, recvAddrLen);
        pollPtr = Pointer.wrap(rt, pollFds);
        sendBuf = ByteBuffer.allocateDirect(maxPayload);
        sendPtr = Pointer.wrap(rt, sendBuf);
        sendAddrPtr = Pointer.wrap(rt, sendAddr);
        pollFds.putInt(0, fd).putShort(4, POLLIN);
        pollFds.putInt(8, wakeFd).putShort(12, POLLIN);
    }

    /**
     * Opens the socket in the calling thread's network namespace, binds it to {@code local} (unless it is the
     * wildcard address), connects it to {@code remote} if given (the kernel then delivers only that peer's
     * datagrams), and forbids fragmentation.
     *
     * @throws IOException with a one-line reason (no CAP_NET_RAW, address not local, ...)
     */
    static RawSocket open(InetAddress local, InetAddress remote, int protocol, int maxPayload) throws IOException {
        boolean ipv6 = local instanceof java.net.Inet6Address;
        LibC.Calls libc = LibC.C;
        int fd = libc.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_RAW | SOCK_CLOEXEC, protocol);
        if (fd < 0) {
            int e = LibC.errno();
            throw new IOException(RawIpErrors.openSocket(ipv6, protocol, e, libc.strerror(e)));
        }
        int wakeFd = -1;
        try {
            ByteBuffer sa = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
            Pointer saPtr = Pointer.wrap(LibC.RUNTIME, sa);
            if (!local.isAnyLocalAddress()) {
                int len = SockAddr.write(sa, local);
                if (libc.bind(fd, saPtr, len) < 0) {
                    int e = LibC.errno();
                    throw new IOException(RawIpErrors.address("bind raw IP socket to " + local.getHostAddress(), e,
                            libc.strerror(e)));
                }
            }
            if (remote != null) {
                int len = SockAddr.write(sa, remote);
                if (libc.connect(fd, saPtr, len) < 0) {
                    int e = LibC.errno();
                    throw new IOException(RawIpErrors.address("connect raw IP socket to " + remote.getHostAddress(),
                            e, libc.strerror(e)));
                }
            }
            // Never fragment: a frame larger than the path MTU fails with EMSGSIZE instead (counted by the caller).
            setInt(libc, fd, ipv6 ? SOL_IPV6 : SOL_IP, ipv6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
                    ipv6 ? IPV6_PMTUDISC_DO : IP_PMTUDISC_DO, "forbid fragmentation");
            // Best effort: the kernel caps it at net.core.rmem_max.
            setInt(libc, fd, SOL_SOCKET, SO_RCVBUF, SO_RCVBUF_BYTES, null);
            wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (wakeFd < 0) {
                int e = LibC.errno();
                throw new IOException("cannot create eventfd for the raw IP socket: " + libc.strerror(e));
            }
            return new RawSocket(ipv6, protocol, fd, wakeFd, maxPayload);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            if (wakeFd >= 0) {
                libc.close(wakeFd);
            }
            throw e;
        }
    }

    private static void setInt(LibC.Calls libc, int fd, int level, int name, int value, String what)
            throws IOException {
        ByteBuffer v = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        v.putInt(0, value);
        if (libc.setsockopt(fd, level, name, Pointer.wrap(LibC.RUNTIME, v), 4) < 0 && what != null) {
            int e = LibC.errno();
            throw new IOException("cannot " + what + " on the raw IP socket: " + libc.strerror(e));
        }
    }

    /**
     * Waits for one datagram and reads it into {@link #receiveBuffer()} at 0, its source into
     * {@link #sourceAddress()}. Receiver thread only.
     *
     * @return bytes received, {@link #CLOSED} once closed, or {@link #ERROR} for a failed receive (errno in
     *     {@link #lastReceiveErrno()}; ICMP errors reported on a connected socket arrive this way)
     */
    int receive() {
        recvLock.lock();
        try {
            while (true) {
                if (closed) {
                    return CLOSED;
                }
                recvAddrLen.putInt(0, SockAddr.MAX_LEN);
                // Count bounded by our own buffer's capacity: the kernel can never write past it.
                long n = libc.recvfrom(fd, recvPtr, RECEIVE_BUFFER_BYTES, MSG_DONTWAIT, recvAddrPtr, recvAddrLenPtr);
                if (n >= 0) {
                    return (int) n;
                }
                int e = LibC.errno();
                if (e == EAGAIN) {
                    int r = libc.poll(pollPtr, 2, POLL_TIMEOUT_MILLIS);
                    if (r < 0 && LibC.errno() != EINTR && !closed) {
                        lastReceiveErrno = LibC.errno();
                        return ERROR;
                    }
                } else if (e != EINTR) {
                    if (closed) {
                        return CLOSED;
                    }
                    lastReceiveErrno = e;
                    return ERROR;
                }
            }
        } finally {
            recvLock.unlock();
        }
    }

    /** The receive buffer; the last datagram is at [0, n). Receiver thread only. */
    ByteBuffer receiveBuffer() {
        return recvBuf;
    }

    /** The last datagram's source sockaddr (big-endian buffer). Receiver thread only. */
    ByteBuffer sourceAddress() {
        return recvAddr;
    }

    int lastReceiveErrno() {
        return lastReceiveErrno;
    }

    /**
     * Sends {@code frame} (position to limit, left unchanged) as one IP datagram to the sockaddr {@code dest}.
     * Blocks while the socket send buffer is full. Thread-safe.
     *
     * @return bytes sent, {@link #TOO_BIG} if larger than the buffer or the path MTU (EMSGSIZE), {@link #CLOSED}, or
     *     {@link #ERROR} (errno in {@link #lastSendErrno()}, for logs)
     */
    int send(ByteBuffer frame, byte[] dest) {
        int len = frame.remaining();
        if (len > maxPayload) {
            return TOO_BIG;
        }
        sendLock.lock();
        try {
            if (closed) {
                return CLOSED;
            }
            sendAddr.put(0, dest);
            sendBuf.put(0, frame, frame.position(), len);
            while (true) {
                long n = libc.sendto(fd, sendPtr, len, 0, sendAddrPtr, dest.length);
                if (n >= 0) {
                    return (int) n;
                }
                int e = LibC.errno();
                if (e == EINTR) {
                    continue;
                }
                if (e == EMSGSIZE) {
                    return TOO_BIG;
                }
                lastSendErrno = e;
                return closed ? CLOSED : ERROR;
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** errno of the last failed send (racy between senders; for logs only). */
    int lastSendErrno() {
        return lastSendErrno;
    }

    /** strerror, for logs. */
    String describeErrno(int errno) {
        return libc.strerror(errno) + " (errno " + errno + ")";
    }

    /**
     * Wakes the receiver (which returns {@link #CLOSED}), waits for in-flight receive and send calls to leave, then
     * closes both descriptors. Idempotent.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        one.putLong(0, 1L);
        libc.write(wakeFd, Pointer.wrap(LibC.RUNTIME, one), 8);
        boolean r = false;
        boolean s = false;
        try {
            r = recvLock.tryLock(5, TimeUnit.SECONDS);
            s = sendLock.tryLock(5, TimeUnit.SECONDS);
            if (r && s) {
                libc.close(fd);
                libc.close(wakeFd);
            }
            // Otherwise leak the descriptors: closing one a live native call still uses could hit a reused number.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (s) {
                sendLock.unlock();
            }
            if (r) {
                recvLock.unlock();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }
}
