package dev.multipath.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.multipath.api.Link;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpTransportTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final java.util.List<TcpTransport> toClose = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (TcpTransport t : toClose) {
            t.close();
        }
    }

    private TcpTransport server(RecordingSink sink, int port) throws Exception {
        TcpTransport t = TcpTransport.listen(new InetSocketAddress(LOOPBACK, port));
        toClose.add(t);
        t.start(sink);
        return t;
    }

    private TcpTransport client(RecordingSink sink, InetSocketAddress remote) throws Exception {
        TcpTransport t = TcpTransport.connect(new InetSocketAddress(LOOPBACK, 0), remote);
        toClose.add(t);
        t.start(sink);
        return t;
    }

    @Test
    void framesRoundTripBothDirectionsByteExact() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        TcpTransport server = server(serverSink, 0);
        TcpTransport client = client(clientSink, server.localAddress());
        Link up = clientSink.awaitUp();
        Link down = serverSink.awaitUp();
        assertThat(up.isUp()).isTrue();
        assertThat(up.maxFrameSize()).isEqualTo(65535);
        assertThat(client.kind()).isEqualTo("tcp");
        assertThat(client.wireOverhead()).isEqualTo(42);

        Random rnd = new Random(7);
        for (int size : List.of(1, 2, 3, 20, 255, 256, 1400, 1500, 9000, 32768, 65534, 65535)) {
            byte[] a = new byte[size];
            rnd.nextBytes(a);
            // Offset the frame inside a bigger buffer: only position..limit may be sent.
            ByteBuffer buf = ByteBuffer.allocate(size + 10);
            buf.position(5);
            buf.put(a);
            buf.limit(5 + size).position(5);
            assertThat(up.send(buf)).isTrue();
            assertThat(buf.position()).as("send leaves the caller's position alone").isEqualTo(5);
            assertThat(serverSink.awaitFrame()).isEqualTo(a);

            byte[] b = new byte[size];
            rnd.nextBytes(b);
            assertThat(down.send(ByteBuffer.wrap(b))).isTrue();
            assertThat(clientSink.awaitFrame()).isEqualTo(b);
        }
        assertThat(serverSink.frames).isEmpty();
    }

    @Test
    void invalidFrameSizesAreRejected() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        TcpTransport server = server(serverSink, 0);
        client(clientSink, server.localAddress());
        Link link = clientSink.awaitUp();
        assertThatThrownBy(() -> link.send(ByteBuffer.allocate(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> link.send(ByteBuffer.allocate(65536))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendBlocksWhileThePeerDoesNotReadThenResumes() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        CountDownLatch gate = new CountDownLatch(1);
        serverSink.gate = gate;
        TcpTransport server = server(serverSink, 0);
        client(clientSink, server.localAddress());
        Link link = clientSink.awaitUp();
        serverSink.awaitUp();

        int total = 1000;
        byte[] payload = new byte[60_000];
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Object> failure = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            ByteBuffer frame = ByteBuffer.wrap(payload);
            try {
                for (int i = 0; i < total; i++) {
                    if (!link.send(frame)) {
                        failure.set("send returned false at " + i);
                        return;
                    }
                    sent.incrementAndGet();
                }
            } catch (Exception e) {
                failure.set(e);
            }
        }, "test-sender");
        sender.start();

        // Wait until the sender stops making progress: it is blocked on a full socket.
        int last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            int now = sent.get();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(800)) {
                break;
            }
        }
        int stalledAt = sent.get();
        assertThat(stalledAt).as("sender must block, not queue everything").isLessThan(total);
        assertThat(sender.getState()).isIn(Thread.State.RUNNABLE, Thread.State.WAITING, Thread.State.BLOCKED);
        assertThat(sender.isAlive()).isTrue();

        serverSink.gate = null;
        gate.countDown();
        sender.join(30_000);
        assertThat(failure.get()).isNull();
        assertThat(sent.get()).isEqualTo(total);
        long deadline2 = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (serverSink.frames.size() < total && System.nanoTime() < deadline2) {
            Thread.sleep(50);
        }
        assertThat(serverSink.frames).hasSize(total);
    }

    @Test
    void reconnectsAfterTheServerRestarts() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        TcpTransport server = server(serverSink, 0);
        InetSocketAddress addr = server.localAddress();
        TcpTransport client = client(clientSink, addr);
        Link link = clientSink.awaitUp();
        serverSink.awaitUp();

        server.close();
        assertThat(clientSink.awaitDown()).isSameAs(link);
        assertThat(link.isUp()).isFalse();
        assertThat(link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isFalse();

        RecordingSink serverSink2 = new RecordingSink();
        server(serverSink2, addr.getPort());
        assertThat(clientSink.awaitUp()).as("the same single link comes back").isSameAs(link);
        assertThat(link.send(ByteBuffer.wrap(new byte[] {9, 8, 7}))).isTrue();
        assertThat(serverSink2.awaitFrame()).containsExactly(9, 8, 7);
        assertThat(client.connectionsEstablished()).isEqualTo(2);
    }

    @Test
    void garbageLengthDisconnectsOnlyThatPeer() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        TcpTransport server = server(serverSink, 0);
        client(clientSink, server.localAddress());
        Link clientLink = clientSink.awaitUp();
        Link serverLink = serverSink.awaitUp();

        try (Socket raw = new Socket()) {
            raw.connect(server.localAddress(), 3000);
            raw.setSoTimeout(10_000);
            Link rawLink = serverSink.awaitUp();
            raw.getOutputStream().write(new byte[] {0, 0, 1, 2, 3});
            raw.getOutputStream().flush();
            InputStream in = raw.getInputStream();
            int r;
            try {
                r = in.read();
            } catch (java.net.SocketException reset) {
                r = -1;
            }
            assertThat(r).as("server closed the junk connection").isEqualTo(-1);
            assertThat(serverSink.awaitDown()).isSameAs(rawLink);
        }
        assertThat(server.badLengthDisconnects()).isEqualTo(1);
        assertThat(serverSink.frames).isEmpty();

        assertThat(clientLink.send(ByteBuffer.wrap(new byte[] {4, 5}))).isTrue();
        assertThat(serverSink.awaitFrame()).containsExactly(4, 5);
        assertThat(serverLink.send(ByteBuffer.wrap(new byte[] {6}))).isTrue();
        assertThat(clientSink.awaitFrame()).containsExactly(6);
        assertThat(serverLink.isUp()).isTrue();
    }

    @Test
    void closeLeavesNoThreadsAndReportsLinksDown() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        RecordingSink clientSink = new RecordingSink();
        TcpTransport server = server(serverSink, 0);
        TcpTransport c1 = client(clientSink, server.localAddress());
        TcpTransport c2 = client(clientSink, server.localAddress());
        clientSink.awaitUp();
        clientSink.awaitUp();
        serverSink.awaitUp();
        serverSink.awaitUp();
        // A client that never connects, sleeping in backoff.
        TcpTransport c3 = client(new RecordingSink(), new InetSocketAddress(LOOPBACK, unusedPort()));
        Thread.sleep(300);

        List<TcpTransport> all = List.of(server, c1, c2, c3);
        for (TcpTransport t : all) {
            assertThat(liveThreads(t)).isNotZero();
        }
        for (TcpTransport t : all) {
            t.close();
        }
        for (TcpTransport t : all) {
            assertThat(liveThreads(t)).as("threads of %s", t.threadPrefix()).isZero();
        }
        clientSink.awaitDown();
        clientSink.awaitDown();
        serverSink.awaitDown();
        serverSink.awaitDown();
    }

    private static long liveThreads(TcpTransport t) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(th -> th.getName().startsWith(t.threadPrefix()) && th.isAlive())
                .count();
    }

    private static int unusedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }
}
