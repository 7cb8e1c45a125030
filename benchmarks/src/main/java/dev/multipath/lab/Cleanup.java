package dev.multipath.lab;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Closes whatever the lab still holds open when the JVM exits (Ctrl-C, failure), through one shutdown hook.
 * Thread-safe.
 */
public final class Cleanup {
    private static final Set<AutoCloseable> OPEN = new LinkedHashSet<>();
    private static boolean hooked;
    private static volatile boolean shuttingDown;

    private Cleanup() {
    }

    /** Registers {@code c} to be closed at JVM exit unless {@link #unregister} is called first. */
    public static synchronized void register(AutoCloseable c) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "mpl-cleanup"));
            hooked = true;
        }
        OPEN.add(c);
    }

    public static synchronized void unregister(AutoCloseable c) {
        OPEN.remove(c);
    }

    /** True once the JVM is exiting (Ctrl-C): long loops stop starting new work. */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    private static void closeAll() {
        shuttingDown = true;
        AutoCloseable[] all;
        synchronized (Cleanup.class) {
            all = OPEN.toArray(AutoCloseable[]::new);
            OPEN.clear();
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("lab cleanup: " + e);
            }
        }
    }
}
