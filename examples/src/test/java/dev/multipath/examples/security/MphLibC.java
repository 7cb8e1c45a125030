package dev.multipath.examples.security;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls the hostile tests need and the JDK does not offer: {@code setns} (to put one thread into a
 * network namespace), AF_PACKET capture and raw IP injection. Test code only. Every pointer passed points into a
 * direct buffer the caller owns and every length is at most that buffer's capacity (jnr-ffi checks neither).
 * Read errno with {@link #errno()} on the same thread, right after the call.
 */
final class MphLibC {

    static final int O_RDONLY = 0;
    static final int CLONE_NEWNET = 0x40000000;
    static final int AF_INET = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int IPPROTO_RAW = 255;
    /** htons(ETH_P_ALL): every protocol, in network byte order as sockaddr_ll and socket() want it. */
    static final int ETH_P_ALL_BE = 0x0300;
    static final short POLLIN = 1;
    static final int PACKET_OUTGOING = 4;

    /** Public only because jnr-ffi generates the implementation in another class loader. */
    public interface Calls {
        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int addrlen);

        @ssize_t long recvfrom(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, Pointer addrlen);

        @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        int poll(Pointer fds, int nfds, int timeoutMillis);

        int if_nametoindex(String name);

        String strerror(int errnum);
    }

    static final Calls C = LibraryLoader.create(Calls.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);

    private MphLibC() {
    }

    static int errno() {
        return jnr.ffi.LastError.getLastError(RUNTIME);
    }

    static String lastError() {
        return C.strerror(errno());
    }
}
