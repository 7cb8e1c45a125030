package dev.multipath.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Turns SIGINT and SIGTERM into a latch the foreground command waits on, so that {@code portal run} closes the
 * portal on its own thread and exits with code 0 (a JVM that dies of SIGTERM through its default handler
 * exits 143, which service managers report as a failure). A second signal while closing forces the exit at once.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, present on every JDK since 9 and used by many servers)
 * through reflection, which keeps javac's "internal proprietary API" warnings out of the build; where it is
 * missing a shutdown hook is the fallback.
 */
final class ShutdownSignal {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile String received = "";

    private ShutdownSignal() {
    }

    /** Installs the handlers; call once, before opening anything, so a signal during start-up is honoured. */
    static ShutdownSignal install() {
        ShutdownSignal shutdown = new ShutdownSignal();
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            for (String name : new String[] {"INT", "TERM"}) {
                Object handler = Proxy.newProxyInstance(ShutdownSignal.class.getClassLoader(),
                        new Class<?>[] {handlerType}, (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "handle":
                                    shutdown.onSignal("SIG" + name);
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
            }
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown.onSignal("shutdown"), "portal-shutdown"));
        }
        return shutdown;
    }

    private void onSignal(String name) {
        if (signals.incrementAndGet() > 1) {
            System.err.println("portal: second " + name + ", exiting without a clean shutdown");
            Runtime.getRuntime().halt(ExitCodes.RUNTIME_FAILURE);
        }
        received = name;
        stop.countDown();
    }

    /** Blocks until the first signal; returns its name ("SIGINT", "SIGTERM"). */
    String await() throws InterruptedException {
        stop.await();
        return received;
    }
}
