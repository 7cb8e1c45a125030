package dev.multipath.transport.rawip;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc calls a raw IP socket needs, bound with jnr-ffi (copied in spirit from multipath-tun's binding, which this
 * module must not depend on). Read errno with {@link #errno()} right after a call, on the same thread. Every pointer
 * passed here points into a direct buffer we own, and every length is at most that buffer's capacity: jnr-ffi does
 * not check lengths, and an overrun corrupts the JVM.
 */
final class LibC {

    /** The bound functions. Public only because jnr-ffi generates the implementation in another class loader. */
    public interface Calls {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int addrlen);

        int connect(int fd, Pointer addr, int addrlen);

        int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

        @ssize_t long recvfrom(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, Pointer addrlen);

        @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        int poll(Pointer fds, int nfds, int timeoutMillis);

        int eventfd(int initval, int flags);

        @ssize_t long write(int fd, Pointer buf, @size_t long count);

        int close(int fd);

        String strerror(int errnum);
    }

    /** Loaded on first use of a raw IP transport. */
    static final Calls C = LibraryLoader.create(Calls.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);

    private LibC() {
    }

    static int errno() {
        return jnr.ffi.LastError.getLastError(RUNTIME);
    }
}
