package dev.multipath.tun;

import static dev.multipath.tun.LinuxConstants.AF_INET;
import static dev.multipath.tun.LinuxConstants.EAGAIN;
import static dev.multipath.tun.LinuxConstants.EFD_CLOEXEC;
import static dev.multipath.tun.LinuxConstants.EFD_NONBLOCK;
import static dev.multipath.tun.LinuxConstants.EINTR;
import static dev.multipath.tun.LinuxConstants.IFF_NO_PI;
import static dev.multipath.tun.LinuxConstants.IFF_TUN;
import static dev.multipath.tun.LinuxConstants.IFF_UP;
import static dev.multipath.tun.LinuxConstants.IFF_VNET_HDR;
import static dev.multipath.tun.LinuxConstants.O_CLOEXEC;
import static dev.multipath.tun.LinuxConstants.O_NONBLOCK;
import static dev.multipath.tun.LinuxConstants.O_RDWR;
import static dev.multipath.tun.LinuxConstants.POLLIN;
import static dev.multipath.tun.LinuxConstants.SIOCGIFFLAGS;
import static dev.multipath.tun.LinuxConstants.SIOCSIFFLAGS;
import static dev.multipath.tun.LinuxConstants.SIOCSIFMTU;
import static dev.multipath.tun.LinuxConstants.SOCK_CLOEXEC;
import static dev.multipath.tun.LinuxConstants.SOCK_DGRAM;
import static dev.multipath.tun.LinuxConstants.TUNSETIFF;
import static dev.multipath.tun.LinuxConstants.TUNSETOFFLOAD;
import static dev.multipath.tun.LinuxConstants.TUN_F_CSUM;
import static dev.multipath.tun.LinuxConstants.TUN_F_TSO4;
import static dev.multipath.tun.LinuxConstants.TUN_F_TSO6;

import dev.multipath.api.PacketSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux TUN device (IFF_TUN | IFF_NO_PI: whole IP packets, no extra header) as a {@link PacketSource}.
 *
 * <p>Create with {@link #open}: it creates the interface (or attaches to an existing persistent TUN of that name),
 * sets its MTU and brings it up. Add addresses with {@link #addAddress}. The device disappears when it is closed,
 * unless it was made persistent by someone else.
 *
 * <p>Threading: one thread reads and one thread writes, as {@link PacketSource} says. {@link #read} waits in
 * {@code poll(2)} on the TUN descriptor and an eventfd, so {@link #close} (from any thread) wakes a blocked reader
 * at once; the reader then returns -1. Both calls are platform-thread work: they block in native code.
 *
 * <p>Memory safety: native reads and writes only ever touch this object's own direct buffers (64 KiB each, the
 * largest IP packet), with counts bounded by those buffers' sizes; packets are copied to and from the caller's
 * buffers with bounds-checked Java copies. Nothing is allocated per packet.
 *
 * <p>Offload ({@link #open(String, int, boolean)}): the device is opened with IFF_VNET_HDR and TSO/checksum offload,
 * so the kernel hands it TCP super-packets of up to 64 KiB in one read instead of one per MTU, and accepts them in
 * one write. {@link #read} cuts each super-packet into MTU-sized segments with complete checksums, one per call
 * ({@link TcpSegmenter}); {@link #write} joins consecutive segments of a TCP flow into one super-packet
 * ({@link TcpCoalescer}) until the packet that does not continue it or {@link #flush}. Callers still see one IP
 * packet per call; what changes is how many system calls (and kernel passes) a TCP flow costs.
 *
 * <p>Errors: setup failures throw {@link IOException} with a one-line message (permissions, missing driver, name in
 * use, bad name). A packet the kernel refuses on write (malformed, queue full) is dropped and counted
 * ({@link #writeDrops()}); an {@link IOException} from read or write means the device is gone.
 */
public final class TunDevice implements PacketSource {

    /** Largest IP packet (IPv4 total length is 16 bits), so the kernel never truncates into our buffer. */
    static final int PACKET_BUFFER_BYTES = 65536;
    /** With offload every packet is preceded by a virtio header. */
    private static final int NATIVE_BUFFER_BYTES = PACKET_BUFFER_BYTES + VirtioNetHeader.LENGTH;
    private static final int POLL_TIMEOUT_MILLIS = 1000;
    private static final Logger log = LoggerFactory.getLogger(TunDevice.class);

    private final LibC.Calls libc = LibC.C;
    private final String name;
    private final int mtu;
    private final int fd;
    private final int wakeFd;
    /** Packets carry a virtio header (IFF_VNET_HDR), and the kernel may send super-packets. */
    private final boolean offload;

    // Reader-owned native memory.
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(NATIVE_BUFFER_BYTES);
    private final Pointer readPtr;
    private final ByteBuffer pollFds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final Pointer pollPtr;
    // Writer-owned native memory.
    private final ByteBuffer writeBuf = ByteBuffer.allocateDirect(NATIVE_BUFFER_BYTES);
    private final Pointer writePtr;
    // Reader-owned: the super-packet being cut. Writer-owned: the one being joined.
    private final TcpSegmenter segmenter = new TcpSegmenter();
    private final TcpCoalescer coalescer = new TcpCoalescer(writeBuf, VirtioNetHeader.LENGTH);
    /** Cleared if the kernel refuses a joined packet: from then on every segment is written alone. */
    private volatile boolean coalescing;
    // close()-owned: the 8-byte counter written to the eventfd.
    private final ByteBuffer wakeBuf = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

    // close() takes both locks before closing the descriptors, so no read or write ever uses a closed (and
    // possibly reused) descriptor number.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    // Single-writer counters (reader thread / writer thread), volatile so status can read them.
    private volatile long packetsRead;
    private volatile long bytesRead;
    private volatile long readTruncations;
    private volatile long packetsWritten;
    private volatile long bytesWritten;
    private volatile long writeDrops;
    private volatile long superPacketsRead;
    private volatile long offloadReadDrops;
    private volatile long superPacketsWritten;
    private volatile long segmentsJoined;

    private TunDevice(String name, int mtu, int fd, int wakeFd, boolean offload, boolean tso) {
        this.name = name;
        this.offload = offload;
        this.coalescing = tso;
        this.mtu = mtu;
        this.fd = fd;
        this.wakeFd = wakeFd;
        jnr.ffi.Runtime rt = LibC.RUNTIME;
        this.readPtr = Pointer.wrap(rt, readBuf);
        this.writePtr = Pointer.wrap(rt, writeBuf);
        this.pollPtr = Pointer.wrap(rt, pollFds);
        pollFds.putInt(0, fd).putShort(4, POLLIN);
        pollFds.putInt(8, wakeFd).putShort(12, POLLIN);
        wakeBuf.putLong(0, 1L);
    }

    /**
     * Creates (or attaches to) the TUN interface {@code name}, sets its MTU and brings it up, with TSO offload
     * (see the class comment) unless the environment variable {@code MP_TUN_OFFLOAD} is {@code off}.
     *
     * @param name interface name, 1..15 ASCII characters; "%d" lets the kernel choose a number (see {@link #name()})
     * @param mtu the interface MTU, 68..65535
     * @throws IOException with a one-line reason: not root / no CAP_NET_ADMIN, no /dev/net/tun, name in use, name
     *     too long or invalid
     */
    public static TunDevice open(String name, int mtu) throws IOException {
        return open(name, mtu, !"off".equals(System.getenv("MP_TUN_OFFLOAD")));
    }

    /**
     * Like {@link #open(String, int)}, choosing whether to ask for TSO/checksum offload (see the class comment).
     * Without it every read and write is one MTU-sized packet. If the kernel refuses the offload flags the device
     * works without them (logged).
     */
    public static TunDevice open(String name, int mtu, boolean offload) throws IOException {
        byte[] nameBytes = IfReq.validName(name);
        if (mtu < 68 || mtu > 65535) {
            throw new IOException("TUN MTU " + mtu + " outside 68..65535");
        }
        LibC.Calls libc = LibC.C;
        int fd = libc.open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            int e = LibC.errno();
            throw new IOException(TunErrors.openDevice(e, libc.strerror(e)));
        }
        int wakeFd = -1;
        try {
            ByteBuffer ifr = IfReq.allocate();
            Pointer ifrPtr = Pointer.wrap(LibC.RUNTIME, ifr);
            IfReq.setName(ifr, nameBytes);
            IfReq.setFlags(ifr, (short) (IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0)));
            if (libc.ioctl(fd, TUNSETIFF, ifrPtr) < 0) {
                int e = LibC.errno();
                throw new IOException(TunErrors.createTun(name, e, libc.strerror(e)));
            }
            String actual = IfReq.name(ifr);
            boolean tso = false;
            if (offload) {
                // The argument is the flag word itself, not a pointer to it.
                long features = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
                if (libc.ioctl(fd, TUNSETOFFLOAD, Pointer.newIntPointer(LibC.RUNTIME, features)) < 0) {
                    int e = LibC.errno();
                    // Still IFF_VNET_HDR: packets keep their (now always plain) virtio header.
                    log.warn("TUN {}: kernel refused TSO offload ({}); one packet per read", actual,
                            libc.strerror(e));
                } else {
                    tso = true;
                }
            }
            configureLink(actual, mtu);
            wakeFd = libc.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (wakeFd < 0) {
                int e = LibC.errno();
                throw new IOException("cannot create eventfd for TUN '" + actual + "': " + libc.strerror(e));
            }
            log.info("TUN {} open, MTU {}, up{}", actual, mtu, tso ? ", TSO offload" : "");
            return new TunDevice(actual, mtu, fd, wakeFd, offload, tso);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            if (wakeFd >= 0) {
                libc.close(wakeFd);
            }
            throw e;
        }
    }

    /** Sets the MTU and IFF_UP through an AF_INET datagram socket, the descriptor these ioctls need. */
    private static void configureLink(String name, int mtu) throws IOException {
        LibC.Calls libc = LibC.C;
        int sock = libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (sock < 0) {
            int e = LibC.errno();
            throw new IOException("cannot open a socket to configure TUN '" + name + "': " + libc.strerror(e));
        }
        try {
            ByteBuffer ifr = IfReq.allocate();
            Pointer ifrPtr = Pointer.wrap(LibC.RUNTIME, ifr);
            byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
            IfReq.setName(ifr, nameBytes);
            IfReq.setMtu(ifr, mtu);
            if (libc.ioctl(sock, SIOCSIFMTU, ifrPtr) < 0) {
                int e = LibC.errno();
                throw new IOException(TunErrors.configure(name, "set the MTU " + mtu, e, libc.strerror(e)));
            }
            IfReq.setName(ifr, nameBytes);
            if (libc.ioctl(sock, SIOCGIFFLAGS, ifrPtr) < 0) {
                int e = LibC.errno();
                throw new IOException(TunErrors.configure(name, "read the flags", e, libc.strerror(e)));
            }
            IfReq.setFlags(ifr, (short) (IfReq.flags(ifr) | IFF_UP));
            if (libc.ioctl(sock, SIOCSIFFLAGS, ifrPtr) < 0) {
                int e = LibC.errno();
                throw new IOException(TunErrors.configure(name, "bring up", e, libc.strerror(e)));
            }
        } finally {
            libc.close(sock);
        }
    }

    /**
     * Adds an address to the interface, like {@code ip addr add CIDR dev NAME} (which it runs). IPv4 "a.b.c.d/len"
     * or an IPv6 literal with a prefix; only literals are accepted. Several addresses may be added.
     *
     * <p>Why {@code ip} rather than SIOCSIFADDR: the ioctl replaces the one primary IPv4 address and, before
     * SIOCSIFNETMASK narrows it, briefly installs a classful route (10.x would be a /8) on an up interface;
     * {@code ip} uses netlink and adds exactly the prefix route asked for, for IPv4 and IPv6 alike.
     *
     * @throws IOException if the text is not a CIDR literal, {@code ip} is missing, or it fails (its message is
     *     included on one line)
     */
    public void addAddress(String cidr) throws IOException {
        Cidr c = Cidr.parse(cidr);
        if (closed) {
            throw new IOException("TUN " + name + " is closed");
        }
        IpCommand.run("add address " + c + " to TUN '" + name + "'",
                "addr", "add", c.toString(), "dev", name);
        log.info("TUN {} address {} added", name, c);
    }

    /**
     * Reads one packet into {@code dst} (position to limit), blocking until one arrives or the device is closed.
     * A packet longer than {@code dst.remaining()} is truncated to fit and counted ({@link #readTruncations()}).
     *
     * @return the number of bytes put into {@code dst}, or -1 once the device is closed
     * @throws IllegalArgumentException if {@code dst} has no room at all (that would silently lose a packet)
     * @throws IOException if the device is gone
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            throw new IllegalArgumentException("read buffer has no room (remaining 0)");
        }
        if (closed) {
            return -1;
        }
        // The rest of a super-packet needs no lock: it is in our own buffer, which close() never frees, and only
        // the one reader thread touches the segmenter. The lock guards the descriptor.
        while (segmenter.hasNext()) {
            int n = takeSegment(dst);
            if (n > 0) {
                return n;
            }
        }
        readLock.lock();
        try {
            while (true) {
                if (closed) {
                    return -1;
                }
                if (segmenter.hasNext()) {
                    int n = takeSegment(dst);
                    if (n > 0) {
                        return n;
                    }
                    continue;
                }
                // Count bounded by our own buffer's capacity: the kernel can never write past it.
                long n = libc.read(fd, readPtr, offload ? NATIVE_BUFFER_BYTES : PACKET_BUFFER_BYTES);
                if (n >= 0) {
                    int copied = offload ? fromVirtio(dst, (int) n) : copyPacket(dst, 0, (int) n);
                    if (copied > 0) {
                        return copied;
                    }
                    continue;
                }
                int e = LibC.errno();
                if (e == EAGAIN) {
                    waitReadable();
                } else if (e != EINTR) {
                    if (closed) {
                        return -1;
                    }
                    throw new IOException("read from TUN " + name + " failed: " + libc.strerror(e) + " (errno " + e + ")");
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Copies a plain packet from the read buffer (truncated to fit, counted). */
    private int copyPacket(ByteBuffer dst, int off, int len) {
        int copy = Math.min(len, dst.remaining());
        if (copy < len) {
            readTruncations++;
        }
        int pos = dst.position();
        dst.put(pos, readBuf, off, copy);
        dst.position(pos + copy);
        packetsRead++;
        bytesRead += copy;
        return copy;
    }

    /**
     * A read of {@code n} bytes with a virtio header: a plain packet (its checksum completed if partial) or a TCP
     * super-packet, whose first segment is returned. Returns 0 for a packet dropped and counted.
     */
    private int fromVirtio(ByteBuffer dst, int n) {
        int len = n - VirtioNetHeader.LENGTH;
        if (len <= 0) {
            offloadReadDrops++;
            return 0;
        }
        int gso = VirtioNetHeader.gsoType(readBuf, 0) & ~VirtioNetHeader.GSO_ECN;
        boolean partial = (VirtioNetHeader.flags(readBuf, 0) & VirtioNetHeader.F_NEEDS_CSUM) != 0;
        int csumStart = VirtioNetHeader.csumStart(readBuf, 0);
        if (gso == VirtioNetHeader.GSO_NONE) {
            int pos = dst.position();
            int copied = copyPacket(dst, VirtioNetHeader.LENGTH, len);
            // A truncated packet (counted) is returned as before; its checksum cannot be completed.
            if (partial && copied == len && !TcpSegmenter.completeChecksum(dst, pos, len, csumStart,
                    VirtioNetHeader.csumOffset(readBuf, 0))) {
                dst.position(pos);
                packetsRead--;
                bytesRead -= copied;
                offloadReadDrops++;
                return 0;
            }
            return copied;
        }
        if ((gso != VirtioNetHeader.GSO_TCPV4 && gso != VirtioNetHeader.GSO_TCPV6)
                || !segmenter.start(readBuf, VirtioNetHeader.LENGTH, len, VirtioNetHeader.gsoSize(readBuf, 0),
                        partial ? csumStart : 0)) {
            offloadReadDrops++;
            return 0;
        }
        superPacketsRead++;
        return takeSegment(dst);
    }

    /** The next segment of the super-packet being cut; 0 if it did not fit {@code dst} (dropped, counted). */
    private int takeSegment(ByteBuffer dst) {
        int n = segmenter.next(dst);
        if (n < 0) {
            readTruncations++;
            return 0;
        }
        packetsRead++;
        bytesRead += n;
        return n;
    }

    /** Waits until the TUN is readable or close() signalled the eventfd (or the safety timeout passes). */
    private void waitReadable() throws IOException {
        int r = libc.poll(pollPtr, 2, POLL_TIMEOUT_MILLIS);
        if (r < 0) {
            int e = LibC.errno();
            if (e != EINTR && !closed) {
                throw new IOException("poll on TUN " + name + " failed: " + libc.strerror(e));
            }
        }
    }

    /**
     * Writes the packet between {@code src}'s position and limit and advances the position to the limit. An empty
     * packet, one larger than 65536 bytes, or one the kernel refuses (not IPv4/IPv6, queue full) is dropped and
     * counted in {@link #writeDrops()}.
     *
     * @throws IOException if the device is closed or gone
     */
    @Override
    public void write(ByteBuffer src) throws IOException {
        int len = src.remaining();
        int pos = src.position();
        src.position(src.limit());
        if (len == 0 || len > PACKET_BUFFER_BYTES) {
            writeDrops++;
            return;
        }
        writeLock.lock();
        try {
            if (closed) {
                throw new IOException("TUN " + name + " is closed");
            }
            if (!offload) {
                writeBuf.put(0, src, pos, len);
                writeNative(0, len, 1);
                return;
            }
            if (coalescer.pending()) {
                if (coalescer.append(src, pos, len)) {
                    if (coalescer.ended()) {
                        writePending();
                    }
                    return;
                }
                writePending();
            }
            if (coalescing && coalescer.start(src, pos, len)) {
                if (coalescer.ended()) {
                    writePending();
                }
                return;
            }
            VirtioNetHeader.writePlain(writeBuf, 0);
            writeBuf.put(VirtioNetHeader.LENGTH, src, pos, len);
            writeNative(VirtioNetHeader.LENGTH, len, 1);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes the segments held back to be joined with the next one, as one super-packet. The writer calls it when
     * it has nothing more to write for now; without offload there is never anything held.
     */
    @Override
    public void flush() throws IOException {
        if (!offload) {
            return;
        }
        writeLock.lock();
        try {
            if (coalescer.pending() && !closed) {
                writePending();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writePending() throws IOException {
        int segments = coalescer.segments();
        int ipLength = coalescer.length();
        int n = coalescer.finish(0);
        if (writeNative(VirtioNetHeader.LENGTH, ipLength, segments) && segments > 1) {
            superPacketsWritten++;
            segmentsJoined += segments;
        } else if (segments > 1 && coalescing) {
            // Never seen on the kernels we test; rather than lose every joined packet, stop joining.
            coalescing = false;
            log.warn("TUN {}: kernel refused a {}-byte TCP super-packet; writing segments one by one", name, n);
        }
    }

    /**
     * One write(2) of {@code writeBuf[0, headerLength + ipLength)}; counts {@code packets} as written or dropped.
     *
     * @return whether the kernel took it
     */
    private boolean writeNative(int headerLength, int ipLength, int packets) throws IOException {
        int total = headerLength + ipLength;
        long n = libc.write(fd, writePtr, total);
        if (n == total) {
            packetsWritten += packets;
            bytesWritten += ipLength;
            return true;
        }
        writeDrops += packets; // a TUN write is all or nothing; count a short one as a drop to be safe
        if (n >= 0) {
            return false;
        }
        int e = LibC.errno();
        if (e == LinuxConstants.EIO || e == LinuxConstants.EBADFD) {
            throw new IOException("write to TUN " + name + " failed: " + libc.strerror(e) + " (device gone?)");
        }
        // EINVAL (not an IP packet), EAGAIN/ENOBUFS (queue full), EMSGSIZE...: the packet is bad, not the device.
        return false;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** The interface name the kernel gave the device (the requested one, or its "%d" filled in). */
    @Override
    public String name() {
        return name;
    }

    /** Packets read (including truncated ones). */
    public long packetsRead() {
        return packetsRead;
    }

    /** Bytes copied into callers' buffers. */
    public long bytesRead() {
        return bytesRead;
    }

    /** Packets longer than the caller's buffer, truncated on read. */
    public long readTruncations() {
        return readTruncations;
    }

    /** Packets the kernel accepted. */
    public long packetsWritten() {
        return packetsWritten;
    }

    /** Bytes the kernel accepted. */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Packets dropped on write: empty, larger than 64 KiB, or refused by the kernel. */
    public long writeDrops() {
        return writeDrops;
    }

    /** TCP super-packets read from the kernel (offload), each cut into segments counted in {@link #packetsRead}. */
    public long superPacketsRead() {
        return superPacketsRead;
    }

    /** Packets read with offload that could not be used (bad virtio header or offsets, unknown GSO type). */
    public long offloadReadDrops() {
        return offloadReadDrops;
    }

    /** Super-packets written: consecutive TCP segments joined into one write. */
    public long superPacketsWritten() {
        return superPacketsWritten;
    }

    /** Segments that went out inside {@link #superPacketsWritten} (each also counted in {@link #packetsWritten}). */
    public long segmentsJoined() {
        return segmentsJoined;
    }

    /** Whether the device was opened with TSO offload (virtio headers). */
    public boolean offload() {
        return offload;
    }

    /** Every counter of this device by name, for status and metrics. */
    @Override
    public java.util.Map<String, Long> counters() {
        java.util.Map<String, Long> c = new java.util.LinkedHashMap<>();
        c.put("packetsRead", packetsRead);
        c.put("readTruncations", readTruncations);
        c.put("packetsWritten", packetsWritten);
        c.put("writeDrops", writeDrops);
        if (offload) {
            c.put("superPacketsRead", superPacketsRead);
            c.put("offloadReadDrops", offloadReadDrops);
            c.put("superPacketsWritten", superPacketsWritten);
            c.put("segmentsJoined", segmentsJoined);
        }
        return c;
    }

    /** Whether {@link #close} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the device: wakes a blocked reader (which returns -1), waits for an in-flight read or write to
     * finish, then closes the descriptors. The kernel removes a non-persistent TUN interface at this point.
     * Idempotent, callable from any thread.
     */
    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        libc.write(wakeFd, Pointer.wrap(LibC.RUNTIME, wakeBuf), 8);
        boolean r = false;
        boolean w = false;
        try {
            // Bounded waits: a reader wakes within one poll, a writer never blocks (non-blocking descriptor).
            r = readLock.tryLock(5, TimeUnit.SECONDS);
            w = writeLock.tryLock(5, TimeUnit.SECONDS);
            if (r && w) {
                libc.close(fd);
                libc.close(wakeFd);
                log.info("TUN {} closed: read {} packets ({} super-packets cut, {} truncated, {} unusable), "
                        + "wrote {} ({} in {} joined writes, {} dropped)", name, packetsRead, superPacketsRead,
                        readTruncations, offloadReadDrops, packetsWritten, segmentsJoined, superPacketsWritten,
                        writeDrops);
            } else {
                // Leaking two descriptors is better than closing one a live native call may still use.
                log.warn("TUN {}: a reader or writer did not leave in 5 s; descriptors left open", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (w) {
                writeLock.unlock();
            }
            if (r) {
                readLock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + ", mtu " + mtu + (closed ? ", closed]" : "]");
    }
}
