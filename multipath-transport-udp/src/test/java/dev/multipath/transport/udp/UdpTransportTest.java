package dev.multipath.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Loopback tests: no root needed. */
class UdpTransportTest {

    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private final List<UdpTransport> toClose = new ArrayList<>();

    /** Records everything a transport reports. */
    static final class RecordingSink implements FrameSink {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final List<Link> links = new CopyOnWriteArrayList<>();
        final List<Link> downs = new CopyOnWriteArrayList<>();
        volatile Link lastLink;
        volatile boolean throwOnFrame;

        @Override
        public void onFrame(Link link, ByteBuffer frame) {
            lastLink = link;
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            frames.add(new String(b, StandardCharsets.ISO_8859_1));
            if (throwOnFrame) {
                throw new IllegalStateException("sink bug");
            }
        }

        @Override
        public void onLinkUp(Link link) {
            links.add(link);
        }

        @Override
        public void onLinkDown(Link link) {
            downs.add(link);
        }

        String next() throws InterruptedException {
            return frames.poll(5, TimeUnit.SECONDS);
        }
    }

    private UdpTransport track(UdpTransport t) {
        toClose.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (UdpTransport t : toClose) {
            t.close();
        }
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A listening server and a client connected to it, both started, with their sinks. */
    private record Started(UdpTransport server, RecordingSink serverSink, UdpTransport client,
            RecordingSink clientSink) {
    }

    private Started startPair() throws Exception {
        RecordingSink serverSink = new RecordingSink();
        UdpTransport server = track(UdpTransport.listen(LOOPBACK_ANY_PORT));
        server.start(serverSink);
        RecordingSink clientSink = new RecordingSink();
        UdpTransport client = track(UdpTransport.connect(LOOPBACK_ANY_PORT, server.localAddress()));
        client.start(clientSink);
        return new Started(server, serverSink, client, clientSink);
    }

    @Test
    void roundTrip() throws Exception {
        Started st = startPair();
        UdpTransport server = st.server();
        UdpTransport client = st.client();
        RecordingSink serverSink = st.serverSink();
        RecordingSink clientSink = st.clientSink();

        assertThat(client.kind()).isEqualTo("udp");
        assertThat(client.wireOverhead()).isEqualTo(28);
        assertThat(client.maxFrameSize()).isEqualTo(1472);
        assertThat(clientSink.links).containsExactly(client.link());
        assertThat(client.link().isUp()).isTrue();

        assertThat(client.link().send(text("hello"))).isTrue();
        assertThat(serverSink.next()).isEqualTo("hello");
        Link back = serverSink.lastLink;
        assertThat(serverSink.links).containsExactly(back);
        assertThat(back.remoteDescription()).isEqualTo("127.0.0.1:" + client.localAddress().getPort());
        assertThat(back.send(text("world"))).isTrue();
        assertThat(clientSink.next()).isEqualTo("world");
        // The same source keeps its link.
        client.link().send(text("again"));
        assertThat(serverSink.next()).isEqualTo("again");
        assertThat(serverSink.lastLink).isSameAs(back);
        assertThat(server.peerCount()).isEqualTo(1);
    }

    /** Frames of mixed sizes, so that runs of equal frames, a shorter last frame and single frames all occur. */
    private static ByteBuffer[] batch(String tag, int[] sizes) {
        ByteBuffer[] frames = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            StringBuilder b = new StringBuilder(tag).append(i).append(':');
            while (b.length() < sizes[i]) {
                b.append((char) ('a' + (b.length() + i) % 26));
            }
            frames[i] = text(b.substring(0, sizes[i]));
        }
        return frames;
    }

    @Test
    void batchesArriveAsTheSameDatagramsInOrderBothWays() throws Exception {
        Started st = startPair();
        UdpTransport client = st.client();
        RecordingSink serverSink = st.serverSink();
        RecordingSink clientSink = st.clientSink();
        int[] sizes = {1000, 1000, 1000, 1000, 700, 1000, 1000, 1400, 1400, 1400, 20, 1472, 64, 64, 64, 64, 64, 64, 64,
                64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
                64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 63};
        ByteBuffer[] out = batch("c", sizes);
        String[] expected = new String[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            expected[i] = StandardCharsets.ISO_8859_1.decode(out[i].duplicate()).toString();
        }
        UdpLink link = client.link();
        assertThat(link.offloadActive()).as("UDP GSO available (Linux, --add-opens java.base/sun.nio.ch)").isTrue();
        assertThat(link.sendBatch(out, out.length)).isEqualTo(sizes.length);
        for (String e : expected) {
            assertThat(serverSink.next()).isEqualTo(e);
        }
        assertThat(out).allMatch(b -> !b.hasRemaining());
        // Runs: 4 x 1000 + 700, 2 x 1000 (ended by the larger 1400), 3 x 1400 + 20, 1472 alone, 64 x 64 (the
        // kernel's segment limit), 64 + 63.
        assertThat(link.offloadedSends()).isEqualTo(5);
        // The receiver got runs of them in single receives (UDP_GRO) and cut them at the segment size.
        assertThat(st.server().receiveOffloadActive()).isTrue();
        assertThat(st.server().coalescedReceives()).isPositive();

        // The listening side sends to an address (msg_name) rather than on a connected socket.
        UdpLink back = (UdpLink) serverSink.lastLink;
        ByteBuffer[] in = batch("s", new int[] {900, 900, 900, 10});
        assertThat(back.sendBatch(in, in.length)).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(clientSink.next()).startsWith("s" + i + ":");
        }
        assertThat(back.offloadedSends()).isEqualTo(1);
        assertThat(clientSink.frames).isEmpty();
    }

    @Test
    void oversizedFramesAreRefusedNotThrown() throws Exception {
        UdpTransport server = track(UdpTransport.listen(LOOPBACK_ANY_PORT));
        server.start(new RecordingSink());
        UdpTransport client = track(UdpTransport.connect(LOOPBACK_ANY_PORT, server.localAddress(),
                UdpOptions.defaults().withPathMtu(1280)));
        client.start(new RecordingSink());
        assertThat(client.maxFrameSize()).isEqualTo(1252);
        assertThat(client.link().send(ByteBuffer.allocate(1253))).isFalse();
        assertThat(client.link().send(ByteBuffer.allocate(1252))).isTrue();
        assertThat(client.link().sendFailures()).isEqualTo(1);
    }

    @Test
    void manyPeersGetTheirOwnLinksAndTheTableStaysBounded() throws Exception {
        RecordingSink sink = new RecordingSink();
        UdpTransport server = track(UdpTransport.listen(LOOPBACK_ANY_PORT, UdpOptions.defaults().withMaxPeers(8)));
        server.start(sink);
        List<DatagramChannel> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                DatagramChannel ch = DatagramChannel.open();
                ch.bind(LOOPBACK_ANY_PORT);
                peers.add(ch);
                ch.send(text("peer" + i), server.localAddress());
                assertThat(sink.next()).isEqualTo("peer" + i);
            }
            assertThat(sink.links).hasSize(20).doesNotHaveDuplicates();
            assertThat(server.peerCount()).isEqualTo(8);
            assertThat(server.evictions()).isEqualTo(12);
            assertThat(sink.downs).hasSize(12).allMatch(l -> !l.isUp());
            // A reply on a live link reaches the right peer.
            Link last = sink.links.get(19);
            assertThat(last.send(text("to19"))).isTrue();
            ByteBuffer in = ByteBuffer.allocate(100);
            peers.get(19).receive(in);
            assertThat(new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1)).isEqualTo("to19");
        } finally {
            for (DatagramChannel ch : peers) {
                ch.close();
            }
        }
    }

    @Test
    void junkAndAThrowingSinkNeverStopTheReceiver() throws Exception {
        RecordingSink sink = new RecordingSink();
        UdpTransport server = track(UdpTransport.listen(LOOPBACK_ANY_PORT));
        server.start(sink);
        Random random = new Random(42);
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(LOOPBACK_ANY_PORT);
            sink.throwOnFrame = true;
            ch.send(ByteBuffer.allocate(0), server.localAddress());
            ch.send(ByteBuffer.allocate(65507), server.localAddress());
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(2000)];
                random.nextBytes(junk);
                ch.send(ByteBuffer.wrap(junk), server.localAddress());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (server.sinkFailures() < 150 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.sinkFailures()).isGreaterThan(0);
            sink.throwOnFrame = false;
            sink.frames.clear();
            ch.send(text("still alive"), server.localAddress());
            String got;
            do {
                got = sink.next();
            } while (got != null && !got.equals("still alive"));
            assertThat(got).isEqualTo("still alive");
        }
    }

    @Test
    void sendingToAClosedPortFailsQuietly() throws Exception {
        InetSocketAddress nobody;
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(LOOPBACK_ANY_PORT);
            nobody = (InetSocketAddress) ch.getLocalAddress();
        }
        UdpTransport client = track(UdpTransport.connect(LOOPBACK_ANY_PORT, nobody));
        client.start(new RecordingSink());
        boolean anyFailure = false;
        for (int i = 0; i < 20 && !anyFailure; i++) {
            anyFailure = !client.link().send(text("x"));
            Thread.sleep(10);
        }
        // Linux reports the ICMP port unreachable on the connected socket: to the next send or to the reader.
        assertThat(anyFailure || client.receiveErrors() > 0).isTrue();
        assertThat(client.link().isUp()).isTrue();
    }

    @Test
    void closeLeavesNoThreadsAndIsIdempotent() throws Exception {
        UdpTransport server = UdpTransport.listen(LOOPBACK_ANY_PORT);
        server.start(new RecordingSink());
        UdpTransport client = UdpTransport.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                server.localAddress());
        client.start(new RecordingSink());
        assertThat(threads()).isNotEmpty();
        client.close();
        server.close();
        server.close();
        assertThat(threads()).isEmpty();
        assertThat(client.link().isUp()).isFalse();
        assertThat(client.link().send(text("late"))).isFalse();
    }

    @Test
    void ipv6UsesItsOverhead() throws Exception {
        UdpTransport t = UdpTransport.listen(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        assertThat(t.wireOverhead()).isEqualTo(48);
        assertThat(t.maxFrameSize()).isEqualTo(1452);
    }

    private static List<String> threads() {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mp-udp-") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
