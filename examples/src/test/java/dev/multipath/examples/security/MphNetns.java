package dev.multipath.examples.security;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs code in a network namespace from inside the test JVM: a fresh platform thread calls {@code setns} on
 * {@code /run/netns/NAME} and then runs the code. {@code setns(CLONE_NEWNET)} changes only the calling thread, so
 * the rest of the JVM stays where it was; sockets made on that thread belong to the namespace for their lifetime
 * and may then be used from any thread. This lets one test process play attacker, client and server in three
 * namespaces with plain {@link java.net.DatagramSocket}s, without a helper process per role.
 */
final class MphNetns {

    private MphNetns() {
    }

    /** Runs {@code body} on a new thread inside namespace {@code ns} and returns its result (or rethrows). */
    static <T> T call(String ns, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter(ns);
                result.set(body.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "mph-netns-" + ns);
        t.start();
        t.join();
        Throwable e = failure.get();
        if (e instanceof Exception) {
            throw (Exception) e;
        }
        if (e != null) {
            throw new AssertionError(e);
        }
        return result.get();
    }

    /** Starts a daemon thread that enters {@code ns} and then runs {@code body} until it returns. */
    static Thread start(String ns, String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                enter(ns);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            body.run();
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void enter(String ns) throws Exception {
        int fd = MphLibC.C.open("/run/netns/" + ns, MphLibC.O_RDONLY);
        if (fd < 0) {
            throw new IllegalStateException("cannot open /run/netns/" + ns + ": " + MphLibC.lastError());
        }
        try {
            if (MphLibC.C.setns(fd, MphLibC.CLONE_NEWNET) < 0) {
                throw new IllegalStateException("setns " + ns + ": " + MphLibC.lastError());
            }
        } finally {
            MphLibC.C.close(fd);
        }
    }
}
