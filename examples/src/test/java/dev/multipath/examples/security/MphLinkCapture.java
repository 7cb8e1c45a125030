package dev.multipath.examples.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import jnr.ffi.Pointer;

/**
 * The attacker's eyes: an AF_PACKET socket ({@code SOCK_DGRAM}, so the kernel strips the Ethernet header) bound
 * to one interface of the hostile namespace, recording every IPv4 UDP packet that enters or leaves it. Why this and
 * not tcpdump: tcpdump is not installed on these machines, and a packet socket sees forwarded traffic (a raw IP
 * socket would only see what is addressed to the namespace itself) and also what the remote portal sends to the
 * attacker's own address.
 *
 * <p>Threading: one daemon thread (in the namespace) receives; {@link #packets} and {@link #count} may be called from
 * any thread. Holds at most {@link #LIMIT} packets (later ones are counted but not kept). {@link #close} stops it.
 */
final class MphLinkCapture implements AutoCloseable {

    static final int LIMIT = 300_000;
    private static final int SNAP = 65536;

    private final List<MphCapturedPacket> packets = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile String failure;
    private long seen;

    private MphLinkCapture(String ns, String device) throws Exception {
        int fd = MphNetns.call(ns, () -> {
            int s = MphLibC.C.socket(MphLibC.AF_PACKET, MphLibC.SOCK_DGRAM, MphLibC.ETH_P_ALL_BE);
            if (s < 0) {
                throw new IllegalStateException("AF_PACKET socket: " + MphLibC.lastError());
            }
            int index = MphLibC.C.if_nametoindex(device);
            if (index == 0) {
                throw new IllegalStateException("no interface " + device + " in " + ns);
            }
            ByteBuffer sll = ByteBuffer.allocateDirect(20).order(ByteOrder.nativeOrder());
            sll.putShort(0, (short) MphLibC.AF_PACKET);
            sll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) 0x0003); // ETH_P_ALL, network order
            sll.order(ByteOrder.nativeOrder()).putInt(4, index);
            if (MphLibC.C.bind(s, Pointer.wrap(MphLibC.RUNTIME, sll), 20) < 0) {
                throw new IllegalStateException("bind AF_PACKET to " + device + ": " + MphLibC.lastError());
            }
            return s;
        });
        thread = new Thread(() -> receive(fd), "mph-capture-" + device);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts capturing on {@code device} in namespace {@code ns}. */
    static MphLinkCapture start(String ns, String device) throws Exception {
        return new MphLinkCapture(ns, device);
    }

    private void receive(int fd) {
        ByteBuffer buf = ByteBuffer.allocateDirect(SNAP);
        Pointer bufPtr = Pointer.wrap(MphLibC.RUNTIME, buf);
        ByteBuffer addr = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        Pointer addrPtr = Pointer.wrap(MphLibC.RUNTIME, addr);
        ByteBuffer addrLen = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        Pointer addrLenPtr = Pointer.wrap(MphLibC.RUNTIME, addrLen);
        ByteBuffer pollFd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        pollFd.putInt(0, fd).putShort(4, MphLibC.POLLIN);
        Pointer pollPtr = Pointer.wrap(MphLibC.RUNTIME, pollFd);
        try {
            while (!closed) {
                if (MphLibC.C.poll(pollPtr, 1, 100) <= 0) {
                    continue;
                }
                addrLen.putInt(0, 32);
                long n = MphLibC.C.recvfrom(fd, bufPtr, SNAP, 0, addrPtr, addrLenPtr);
                if (n < 0) {
                    continue;
                }
                long now = System.nanoTime();
                int protocolBe = addr.order(ByteOrder.BIG_ENDIAN).getShort(2) & 0xffff;
                int pktType = addr.get(10) & 0xff;
                addr.order(ByteOrder.nativeOrder());
                // IPv4 (0x0800) carrying UDP (17), not a fragment other than the first.
                if (protocolBe != 0x0800 || n < 28 || (buf.get(0) >> 4) != 4 || buf.get(9) != 17) {
                    continue;
                }
                byte[] ip = new byte[(int) n];
                buf.get(0, ip);
                synchronized (packets) {
                    seen++;
                    if (packets.size() < LIMIT) {
                        packets.add(new MphCapturedPacket(ip, now, pktType == MphLibC.PACKET_OUTGOING));
                    }
                }
            }
        } catch (RuntimeException e) {
            failure = e.toString();
        } finally {
            MphLibC.C.close(fd);
        }
    }

    /** A copy of the packets kept so far that match {@code filter}, in arrival order. */
    List<MphCapturedPacket> packets(Predicate<MphCapturedPacket> filter) {
        List<MphCapturedPacket> out = new ArrayList<>();
        synchronized (packets) {
            for (MphCapturedPacket p : packets) {
                if (filter.test(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** How many kept packets match {@code filter}. */
    int count(Predicate<MphCapturedPacket> filter) {
        return packets(filter).size();
    }

    /** Packets seen, kept or not. */
    long seen() {
        synchronized (packets) {
            return seen;
        }
    }

    /** Why the receiver stopped early, or null. */
    String failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.join(2000);
    }
}
