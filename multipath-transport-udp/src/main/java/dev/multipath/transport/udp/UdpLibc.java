package dev.multipath.transport.udp;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.ssize_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libc calls UDP offload needs ({@link GsoSender}, {@link GroReceiver}), bound with jnr-ffi once per JVM. Every
 * pointer passed is an address in direct memory the caller owns, every length at most that memory's size. Read
 * errno with {@link #errno()} right after a failed call, on the same thread.
 */
final class UdpLibc {

    /** The bound functions. Public only because jnr-ffi generates the implementation in another class loader. */
    public interface Calls {
        @ssize_t long sendmsg(int fd, @intptr_t long msghdr, int flags);

        @ssize_t long recvmsg(int fd, @intptr_t long msghdr, int flags);

        int setsockopt(int fd, int level, int name, @intptr_t long value, int length);
    }

    private static final Logger LOG = LoggerFactory.getLogger(UdpLibc.class);
    private static volatile Calls calls;
    private static volatile Runtime runtime;
    private static boolean failed;

    private UdpLibc() {
    }

    /** The bound calls, or null if libc cannot be loaded (logged once; offload then stays off). */
    static synchronized Calls calls() {
        if (calls == null && !failed) {
            try {
                Calls c = LibraryLoader.create(Calls.class).load("c");
                runtime = Runtime.getRuntime(c);
                calls = c;
            } catch (LinkageError | RuntimeException e) {
                failed = true;
                LOG.info("UDP offload off: libc not loadable ({})", e.toString());
            }
        }
        return calls;
    }

    /** The jnr-ffi runtime of the bound calls (after a non-null {@link #calls()}). */
    static Runtime runtime() {
        return runtime;
    }

    static int errno() {
        return jnr.ffi.LastError.getLastError(runtime());
    }
}
