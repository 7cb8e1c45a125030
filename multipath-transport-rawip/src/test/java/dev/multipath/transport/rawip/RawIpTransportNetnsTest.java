package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Link;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jnr.ffi.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real raw sockets between two namespaces {@code mpr-a-PID} and {@code mpr-b-PID} joined by the veth pair
 * {@code mprAPID}/{@code mprBPID} (10.198.1.0/24 and fd00:198:1::/64, private to these namespaces). The connecting
 * side runs in A, the listener in B; see {@link Netns} for how one JVM drives both.
 */
@Tag("netns")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RawIpTransportNetnsTest {

    private static final long PID = ProcessHandle.current().pid() % 100000;
    private static final String NS_A = "mpr-a-" + PID;
    private static final String NS_B = "mpr-b-" + PID;
    private static final String VETH_A = "mprA" + PID;
    private static final String VETH_B = "mprB" + PID;
    private static final int EXTRA_SOURCES = 6;

    private final List<RawIpTransport> transports = new ArrayList<>();

    @BeforeAll
    static void createLab() throws Exception {
        Netns.requireRoot();
        deleteLab();
        Netns.ip("netns", "add", NS_A);
        Netns.ip("netns", "add", NS_B);
        Netns.ip("link", "add", VETH_A, "netns", NS_A, "type", "veth", "peer", "name", VETH_B, "netns", NS_B);
        Netns.ip("-n", NS_A, "addr", "add", "10.198.1.1/24", "dev", VETH_A);
        for (int i = 0; i < EXTRA_SOURCES; i++) {
            Netns.ip("-n", NS_A, "addr", "add", "10.198.1." + (11 + i) + "/24", "dev", VETH_A);
        }
        Netns.ip("-n", NS_A, "addr", "add", "fd00:198:1::1/64", "dev", VETH_A, "nodad");
        Netns.ip("-n", NS_B, "addr", "add", "10.198.1.2/24", "dev", VETH_B);
        Netns.ip("-n", NS_B, "addr", "add", "fd00:198:1::2/64", "dev", VETH_B, "nodad");
        for (String[] nd : new String[][] {{NS_A, VETH_A}, {NS_B, VETH_B}}) {
            Netns.ip("-n", nd[0], "link", "set", nd[1], "up");
            Netns.ip("-n", nd[0], "link", "set", "lo", "up");
        }
    }

    @AfterAll
    static void deleteLab() {
        Netns.ipQuietly("netns", "del", NS_A); // takes the veth pair with it
        Netns.ipQuietly("netns", "del", NS_B);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (RawIpTransport t : transports) {
            t.close();
        }
    }

    private static InetAddress a(boolean v6) throws Exception {
        return InetAddress.getByName(v6 ? "fd00:198:1::1" : "10.198.1.1");
    }

    private static InetAddress b(boolean v6) throws Exception {
        return InetAddress.getByName(v6 ? "fd00:198:1::2" : "10.198.1.2");
    }

    private RawIpTransport startIn(String ns, RawIpTransport t, RecordingSink sink) throws Exception {
        transports.add(t);
        Netns.in(ns, () -> {
            t.start(sink);
            return null;
        });
        return t;
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void everySizeFrom1To1400RoundTripsByteExactBothWays(boolean v6) throws Exception {
        RecordingSink far = new RecordingSink();
        far.echo = true;
        RawIpTransport listener = startIn(NS_B, RawIpTransport.listen(b(v6), 253), far);
        RecordingSink near = new RecordingSink();
        RawIpTransport conn = startIn(NS_A, RawIpTransport.connect(a(v6), b(v6), 253), near);
        Link link = near.awaitUp();
        assertThat(link.isUp()).isTrue();
        assertThat(link.maxFrameSize()).isEqualTo(v6 ? 1460 : 1480);

        Random rnd = new Random(42);
        ByteBuffer frame = ByteBuffer.allocate(1500);
        for (int size = 1; size <= 1400; size++) {
            byte[] sent = new byte[size];
            rnd.nextBytes(sent);
            frame.clear();
            frame.put(sent).flip();
            assertThat(link.send(frame)).isTrue();
            assertThat(frame.position()).as("send leaves the frame as it was").isZero();
            RecordingSink.Received there = far.awaitFrame();
            assertThat(there.bytes()).as("size %d towards the listener", size).isEqualTo(sent);
            RecordingSink.Received back = near.awaitFrame();
            assertThat(back.bytes()).as("size %d echoed back", size).isEqualTo(sent);
            assertThat(back.link()).isSameAs(link);
        }
        assertThat(far.echoFailure).isNull();
        assertThat(far.ups).hasSize(1);
        assertThat(far.ups.peek().remoteDescription()).startsWith(a(v6).getHostAddress());
        assertThat(listener.linkCount()).isEqualTo(1);
        assertThat(listener.framesReceived()).isEqualTo(1400);
        assertThat(conn.framesSent()).isEqualTo(1400);
        assertThat(conn.framesReceived()).isEqualTo(1400);

        // The largest frame fits the 1500-byte veth unfragmented; one more byte is refused and counted.
        byte[] max = new byte[conn.maxFrameSize()];
        rnd.nextBytes(max);
        assertThat(link.send(ByteBuffer.wrap(max))).isTrue();
        assertThat(far.awaitFrame().bytes()).isEqualTo(max);
        assertThat(near.awaitFrame().bytes()).isEqualTo(max);
        assertThat(link.send(ByteBuffer.wrap(new byte[conn.maxFrameSize() + 1]))).isFalse();
        assertThat(link.send(ByteBuffer.allocate(0))).isFalse();
        assertThat(conn.framesRefused()).isEqualTo(2);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void aFrameLargerThanTheRealPathMtuIsRefusedNotFragmented(boolean v6) throws Exception {
        RecordingSink far = new RecordingSink();
        startIn(NS_B, RawIpTransport.listen(b(v6), 253), far);
        RecordingSink near = new RecordingSink();
        // Told the path carries 9000 bytes; the veth carries 1500.
        RawIpTransport conn = startIn(NS_A, RawIpTransport.connect(a(v6), b(v6), 253, 9000), near);
        Link link = near.awaitUp();
        assertThat(link.send(ByteBuffer.wrap(new byte[2000]))).isFalse();
        assertThat(conn.framesRefused()).isEqualTo(1);
        assertThat(link.send(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isTrue();
        assertThat(far.awaitFrame().bytes()).as("first frame to arrive").containsExactly(1, 2, 3);
    }

    @ParameterizedTest(name = "ipv6={0}")
    @ValueSource(booleans = {false, true})
    void datagramsOfAnotherProtocolAreNotDelivered(boolean v6) throws Exception {
        RecordingSink far = new RecordingSink();
        RawIpTransport listener = startIn(NS_B, RawIpTransport.listen(b(v6), 253), far);
        RecordingSink other = new RecordingSink();
        RawIpTransport wrong = startIn(NS_A, RawIpTransport.connect(a(v6), b(v6), 254), other);
        assertThat(other.awaitUp().send(ByteBuffer.wrap("protocol 254".getBytes()))).isTrue();
        Netns.in(NS_A, () -> {
            try (DatagramChannel udp = DatagramChannel.open()) {
                udp.send(ByteBuffer.wrap("udp".getBytes()), new InetSocketAddress(b(v6), 9));
            }
            return null;
        });
        RecordingSink near = new RecordingSink();
        startIn(NS_A, RawIpTransport.connect(a(v6), b(v6), 253), near);
        near.awaitUp().send(ByteBuffer.wrap("protocol 253".getBytes()));
        assertThat(new String(far.awaitFrame().bytes())).isEqualTo("protocol 253");
        Thread.sleep(200);
        assertThat(far.frames).isEmpty();
        assertThat(listener.framesReceived()).isEqualTo(1);
        assertThat(wrong.framesSent()).isEqualTo(1);
    }

    @Test
    void ipv4OptionsAreStrippedAndEmptyDatagramsDropped() throws Exception {
        RecordingSink far = new RecordingSink();
        RawIpTransport listener = startIn(NS_B, RawIpTransport.listen(b(false), 253), far);
        Netns.in(NS_A, () -> {
            // A hand-made IPv4 datagram with 4 bytes of options (IHL 6), through an IP_HDRINCL socket.
            ByteBuffer pkt = ByteBuffer.allocateDirect(64);
            pkt.put(0, (byte) 0x46).put(6, (byte) 0x40).put(8, (byte) 64).put(9, (byte) 253);
            pkt.put(12, a(false).getAddress()).put(16, b(false).getAddress());
            pkt.put(20, new byte[] {1, 1, 1, 0}).put(24, "opt".getBytes());
            sendRaw(false, 255, pkt, 27);
            // Empty payloads, IPv4 and IPv6.
            sendRaw(false, 253, pkt, 0);
            sendRaw(true, 253, pkt, 0);
            return null;
        });
        assertThat(new String(far.awaitFrame().bytes())).isEqualTo("opt");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (listener.droppedEmpty() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(listener.droppedEmpty()).isEqualTo(1);
        assertThat(far.frames).isEmpty();

        RecordingSink far6 = new RecordingSink();
        RawIpTransport listener6 = startIn(NS_B, RawIpTransport.listen(b(true), 253), far6);
        Netns.in(NS_A, () -> {
            sendRaw(true, 253, ByteBuffer.allocateDirect(8), 0);
            return null;
        });
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (listener6.droppedEmpty() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(listener6.droppedEmpty()).isEqualTo(1);
        assertThat(far6.frames).isEmpty();
        assertThat(far6.ups).as("an empty datagram makes no link").isEmpty();
    }

    /** sendto from a throw-away raw socket in the calling thread's namespace, to B. */
    private static void sendRaw(boolean v6, int protocol, ByteBuffer data, int len) throws Exception {
        LibC.Calls c = LibC.C;
        int fd = c.socket(v6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET, LinuxConstants.SOCK_RAW, protocol);
        assertThat(fd).isGreaterThanOrEqualTo(0);
        try {
            ByteBuffer sa = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
            int saLen = SockAddr.write(sa, b(v6));
            long n = c.sendto(fd, Pointer.wrap(LibC.RUNTIME, data), len, 0, Pointer.wrap(LibC.RUNTIME, sa), saLen);
            assertThat(n).as("sendto errno %d", LibC.errno()).isEqualTo(len);
        } finally {
            c.close(fd);
        }
    }

    @Test
    void listenerMakesOneLinkPerSourceAddressAndBoundsItsTable() throws Exception {
        RecordingSink far = new RecordingSink();
        RawIpTransport listener = startIn(NS_B, RawIpTransport.listen(b(false), 253, 1500, 4), far);
        for (int i = 0; i < EXTRA_SOURCES; i++) {
            RecordingSink near = new RecordingSink();
            InetAddress src = InetAddress.getByName("10.198.1." + (11 + i));
            startIn(NS_A, RawIpTransport.connect(src, b(false), 253), near);
            Link l = near.awaitUp();
            for (int k = 0; k < 2; k++) {
                assertThat(l.send(ByteBuffer.wrap(new byte[] {(byte) i, (byte) k}))).isTrue();
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (listener.linksRefused() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(listener.linksRefused()).as("2 sources x 2 frames refused").isEqualTo(4);
        assertThat(listener.linkCount()).isEqualTo(4);
        assertThat(far.ups).hasSize(4);
        Set<Link> links = new HashSet<>();
        List<RecordingSink.Received> got = new ArrayList<>();
        far.frames.drainTo(got);
        assertThat(got).hasSize(8);
        for (RecordingSink.Received r : got) {
            links.add(r.link());
            assertThat(r.link().remoteDescription()).isEqualTo("10.198.1." + (11 + r.bytes()[0]) + " proto 253");
        }
        assertThat(links).hasSize(4).containsExactlyInAnyOrderElementsOf(far.ups);
    }

    @Test
    void closeWakesTheReceiversAndLeavesNoThreadsOrDescriptors() throws Exception {
        // Compared by what each descriptor points at, not by count: the JVM opens and closes descriptors of its
        // own (jar files, a lazily closed stream of an earlier test) while this runs, so a count can drift by one.
        Set<String> before = openSockets();
        RecordingSink far = new RecordingSink();
        RawIpTransport listener = startIn(NS_B, RawIpTransport.listen(b(true), 253), far);
        RecordingSink near = new RecordingSink();
        RawIpTransport conn = startIn(NS_A, RawIpTransport.connect(a(true), b(true), 253), near);
        Link link = near.awaitUp();
        link.send(ByteBuffer.wrap(new byte[] {9}));
        Link remoteLink = far.awaitFrame().link();
        assertThat(threadAlive(listener.threadName())).isTrue();
        assertThat(threadAlive(conn.threadName())).isTrue();
        assertThat(newSockets(before)).as("sockets the transports opened").isNotEmpty();

        long t0 = System.nanoTime();
        conn.close();
        listener.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("close time, ms").isLessThan(1000);
        assertThat(threadAlive(listener.threadName())).isFalse();
        assertThat(threadAlive(conn.threadName())).isFalse();
        assertThat(newSockets(before)).as("sockets left open after close").isEmpty();
        assertThat(near.downs.poll()).isSameAs(link);
        assertThat(far.downs.poll()).isSameAs(remoteLink);
        assertThat(link.isUp()).isFalse();
        assertThat(link.send(ByteBuffer.wrap(new byte[] {1}))).isFalse();
        conn.close(); // idempotent
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    /** The sockets this process holds, as the kernel names them ("socket:[inode]"). */
    private static Set<String> openSockets() throws Exception {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:")) {
                        out.add(target);
                    }
                } catch (java.io.IOException closedMeanwhile) {
                    // the descriptor went away between the listing and the read: not ours to count
                }
            }
        }
        return out;
    }

    private static Set<String> newSockets(Set<String> before) throws Exception {
        Set<String> now = openSockets();
        now.removeAll(before);
        return now;
    }
}
