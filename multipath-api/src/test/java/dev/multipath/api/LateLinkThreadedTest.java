package dev.multipath.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.cc.PathController;
import dev.multipath.engine.EnginePath;
import dev.multipath.engine.PortalCore;
import dev.multipath.sim.InMemoryPacketSource;
import dev.multipath.sim.MemoryTransport;
import dev.multipath.sim.TestPackets;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A path's sender must not die. A path whose link comes up after its sender thread started (every transport starts after the senders; a TCP or
 * raw IP link a moment later) must carry frames. The sender read the path's link (still none), and if the link was
 * bound before it asked whether the path is usable, it went on with no link: a NullPointerException ended the thread,
 * and the path sent nothing for the rest of the portal's life, although its status said "up" (CI: a raw IP path that
 * never joined the remote; one of a site's two links that carried nothing in the multi-peer test).
 *
 * <p>Deterministic: the test holds the path controller's lock, so the sender, having read the link, waits in
 * {@link PathController#isAlive}; the link is bound then, and the lock released.
 */
@Timeout(30)
class LateLinkThreadedTest {

    @Test
    void aLinkBoundWhileTheSenderLooksAtThePathIsUsed() throws Exception {
        MemoryTransport[] a = MemoryTransport.pair("a");
        a[0].setUp(false); // the local end reports no link at start
        InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
        InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
        Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).path("a", 0, a[0]).build();
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).listener(a[1]).build();
        EnginePath path = core(local).paths().get(0);
        Object controllerLock = field(PathController.class, "sendLock").get(path.controller());
        remote.start();
        try {
            synchronized (controllerLock) {
                local.start();
                Thread sender = waitForSenderInIsAlive("mp-send-a");
                a[0].setUp(true); // the transport reports the link now
                assertThat(sender.getState()).as("the sender still waits").isEqualTo(Thread.State.BLOCKED);
            }
            waitFor(() -> remote.status().paths().size() == 1);
            localTun.inject(TestPackets.ipv4Udp(1, 1000, 2000, 1, 200));
            assertThat(remoteTun.take(2000)).as("a packet through the late path").isNotNull();
            assertThat(Thread.getAllStackTraces().keySet()).as("the path's sender is alive")
                    .anyMatch(t -> t.getName().equals("mp-send-a") && t.isAlive());
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void aSenderThatThrowsStartsOverAndThePathCarries() throws Exception {
        MemoryTransport[] a = MemoryTransport.pair("a");
        ThrowingOnce local0 = new ThrowingOnce(a[0]);
        InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
        InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
        Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).path("a", 0, local0).build();
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).listener(a[1]).build();
        remote.start();
        local.start();
        try {
            waitFor(() -> remote.status().paths().size() == 1);
            localTun.inject(TestPackets.ipv4Udp(1, 1000, 2000, 1, 200));
            assertThat(remoteTun.take(2000)).as("a packet through the path").isNotNull();
            assertThat(local0.thrown.get()).as("the injected failure happened").isTrue();
        } finally {
            local.close();
            remote.close();
        }
    }

    /**
     * The local end of a memory transport whose link throws once from {@link Link#isReliable()} on the path's sender
     * thread (a stand-in for any bug in a sender's turn).
     */
    private static final class ThrowingOnce implements Transport {
        private final MemoryTransport inner;
        private final java.util.concurrent.atomic.AtomicBoolean thrown = new java.util.concurrent.atomic.AtomicBoolean();
        private Link wrapped;

        ThrowingOnce(MemoryTransport inner) {
            this.inner = inner;
        }

        @Override
        public void start(FrameSink sink) throws java.io.IOException {
            inner.start(new FrameSink() {
                @Override
                public void onFrame(Link link, java.nio.ByteBuffer frame) {
                    sink.onFrame(wrap(link), frame);
                }

                @Override
                public void onLinkUp(Link link) {
                    sink.onLinkUp(wrap(link));
                }

                @Override
                public void onLinkDown(Link link) {
                    sink.onLinkDown(wrap(link));
                }
            });
        }

        private synchronized Link wrap(Link link) {
            if (wrapped == null) {
                wrapped = new Link() {
                    @Override
                    public boolean send(java.nio.ByteBuffer frame) throws java.io.IOException {
                        return link.send(frame);
                    }

                    @Override
                    public boolean isUp() {
                        return link.isUp();
                    }

                    @Override
                    public int maxFrameSize() {
                        return link.maxFrameSize();
                    }

                    @Override
                    public String remoteDescription() {
                        return link.remoteDescription();
                    }

                    @Override
                    public boolean isReliable() {
                        if (Thread.currentThread().getName().startsWith("mp-send-") && thrown.compareAndSet(false,
                                true)) {
                            throw new IllegalStateException("injected: a bug in the sender's turn");
                        }
                        return link.isReliable();
                    }
                };
            }
            return wrapped;
        }

        @Override
        public String kind() {
            return "memory";
        }

        @Override
        public int wireOverhead() {
            return 0;
        }

        @Override
        public void close() throws java.io.IOException {
            inner.close();
        }
    }

    /** The sender thread, once it is blocked on the controller's lock inside isAlive in its loop. */
    private static Thread waitForSenderInIsAlive(String name) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                Thread t = e.getKey();
                if (t.getName().equals(name) && t.getState() == Thread.State.BLOCKED
                        && Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("isAlive"))
                        && Arrays.stream(e.getValue()).anyMatch(f -> f.getMethodName().equals("sendLoop"))) {
                    return t;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the sender " + name + " did not reach PathController.isAlive");
    }

    private static PortalCore core(Portal portal) throws ReflectiveOperationException {
        return (PortalCore) field(Portal.class, "core").get(portal);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
