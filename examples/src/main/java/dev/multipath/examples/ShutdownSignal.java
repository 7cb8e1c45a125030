package dev.multipath.examples;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGINT and SIGTERM into a latch the foreground command waits on, so that {@code portal run} closes the
 * portal on its own thread and exits with code 0 (a JVM that dies of SIGTERM through its default handler
 * exits 143, which service managers report as a failure). A second signal while closing forces the exit at once.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, present on every JDK since 9 and used by many servers)
 * through reflection, which keeps javac's "internal proprietary API" warnings out of the build. A signal that was
 * ignored when the JVM started (SIGINT of a background job in a non-interactive shell) stays ignored, as for any
 * program. As a safety net for every other way the JVM may shut down, a shutdown hook also trips the latch and
 * waits (up to {@value #HOOK_WAIT_SECONDS} s) until the command reports {@link #closed()}.
 *
 * <p>Threading: signal handlers run on JVM signal threads; {@link #await} and {@link #closed} on the command's.
 */
final class ShutdownSignal {

    private static final long HOOK_WAIT_SECONDS = 10;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile String received = "";

    private ShutdownSignal() {
    }

    /** Installs the handlers; call once, before opening anything, so a signal during start-up is honoured. */
    static ShutdownSignal install() {
        ShutdownSignal shutdown = new ShutdownSignal();
        for (String name : new String[] {"INT", "TERM"}) {
            handle(name, shutdown);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shutdown.stop("JVM shutdown", false);
            try {
                shutdown.closed.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "portal-shutdown"));
        return shutdown;
    }

    /** Installs a handler for one signal; false if the JVM refused (signal ignored or reserved). */
    private static boolean handle(String name, ShutdownSignal shutdown) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object handler = Proxy.newProxyInstance(ShutdownSignal.class.getClassLoader(),
                    new Class<?>[] {handlerType}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                shutdown.stop("SIG" + name, true);
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                return "portal SIG" + name + " handler";
                        }
                    });
            handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
            return true;
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            return false;
        }
    }

    private void stop(String why, boolean fromSignal) {
        if (fromSignal && signals.incrementAndGet() > 1) {
            System.err.println("portal: second signal (" + why + "), exiting without a clean shutdown");
            Runtime.getRuntime().halt(ExitCodes.RUNTIME_FAILURE);
        }
        if (stop.getCount() > 0) {
            received = why;
            stop.countDown();
        }
    }

    /** Blocks until the first signal; returns its name ("SIGINT", "SIGTERM"). */
    String await() throws InterruptedException {
        stop.await();
        return received;
    }

    /** Called by the command once everything is closed (or failed to open), so a waiting shutdown hook returns. */
    void closed() {
        closed.countDown();
    }
}
