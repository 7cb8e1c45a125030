package dev.multipath.examples.security;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;

/**
 * The attacker's hands for spoofed packets: a raw IPv4 socket with {@code IPPROTO_RAW} (the caller writes the
 * whole IP header, so the source address can be anybody's) opened in the hostile namespace. The kernel routes each
 * packet by its destination and fills in the IP checksum. Threading: one thread at a time.
 */
final class MphRawInjector implements AutoCloseable {

    private final int fd;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    private final Pointer bufPtr = Pointer.wrap(MphLibC.RUNTIME, buf);
    private final ByteBuffer sin = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final Pointer sinPtr = Pointer.wrap(MphLibC.RUNTIME, sin);

    private MphRawInjector(int fd) {
        this.fd = fd;
    }

    static MphRawInjector open(String ns) throws Exception {
        return new MphRawInjector(MphNetns.call(ns, () -> {
            int s = MphLibC.C.socket(MphLibC.AF_INET, MphLibC.SOCK_RAW, MphLibC.IPPROTO_RAW);
            if (s < 0) {
                throw new IllegalStateException("raw socket: " + MphLibC.lastError());
            }
            return s;
        }));
    }

    /** Sends one whole IPv4 packet as it is (source address included). */
    void send(byte[] ip) {
        buf.clear();
        buf.put(ip);
        sin.clear();
        sin.putShort(0, (short) MphLibC.AF_INET);
        for (int i = 0; i < 4; i++) {
            sin.put(4 + i, ip[16 + i]); // sin_addr: the packet's destination, network order
        }
        long n = MphLibC.C.sendto(fd, bufPtr, ip.length, 0, sinPtr, 16);
        if (n != ip.length) {
            throw new IllegalStateException("raw send: " + MphLibC.lastError());
        }
    }

    @Override
    public void close() {
        MphLibC.C.close(fd);
    }
}
