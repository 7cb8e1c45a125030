package dev.multipath.tun;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc calls a TUN device needs, bound with jnr-ffi. Every call saves errno; read it with {@link #errno()}
 * right after the call, on the same thread. Pointers passed here always point into native memory we own, and every
 * length passed is at most that memory's size: jnr-ffi does not check lengths, and an overrun corrupts the JVM.
 */
final class LibC {

    /**
     * The bound functions. Public only because jnr-ffi generates its implementation in another class loader; the
     * enclosing class keeps it out of the module's API.
     */
    public interface Calls {
        int open(String path, int flags);

        int close(int fd);

        @ssize_t long read(int fd, Pointer buf, @size_t long count);

        @ssize_t long write(int fd, Pointer buf, @size_t long count);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, Pointer arg);

        int poll(Pointer fds, int nfds, int timeoutMillis);

        int socket(int domain, int type, int protocol);

        int eventfd(int initval, int flags);

        String strerror(int errnum);
    }

    /** Loaded on first use of a TUN device. */
    static final Calls C = LibraryLoader.create(Calls.class).load("c");
    static final Runtime RUNTIME = Runtime.getRuntime(C);

    private LibC() {
    }

    static int errno() {
        return jnr.ffi.LastError.getLastError(RUNTIME);
    }
}
