package dev.multipath.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Wakes one waiting consumer thread when work arrives, without locks: the consumer publishes itself, re-checks for
 * work, then parks; the producer unparks it only if it is published. A ring that races with the re-check leaves
 * the thread's park permit set, so no wake-up is lost.
 */
final class Doorbell {

    private volatile Thread waiter;

    /** Parks the calling thread until rung or {@code maxNanos} passed, unless {@code hasWork} is already true. */
    void await(BooleanSupplier hasWork, long maxNanos) {
        waiter = Thread.currentThread();
        try {
            if (!hasWork.getAsBoolean()) {
                LockSupport.parkNanos(this, maxNanos);
            }
        } finally {
            waiter = null;
        }
    }

    void ring() {
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
