package dev.multipath.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real TUN devices (root needed). Each test creates a TUN named {@code mpio<N>} in the root namespace with
 * 10.199.x.1/30 on it; all test traffic goes to 10.199.x.2, which only exists at the far end of that TUN, so
 * nothing leaves the machine. The device vanishes when closed; {@link #cleanUp} deletes it in any case.
 */
@Tag("netns")
class TunDeviceNetnsTest {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private String name;
    private int x;
    private TunDevice tun;

    @BeforeEach
    void setUp() throws Exception {
        requireRootAndTun();
        name = "mpio" + (ProcessHandle.current().pid() % 10000) + "t" + SEQ.incrementAndGet();
        x = pickFreeSubnet();
        tun = TunDevice.open(name, 1400);
        tun.addAddress("10.199." + x + ".1/30");
    }

    @AfterEach
    void cleanUp() throws Exception {
        watchdog.shutdownNow();
        if (tun != null) {
            tun.close();
        }
        if (name != null && Files.exists(Path.of("/sys/class/net", name))) {
            new ProcessBuilder("ip", "link", "del", name).inheritIO().start().waitFor();
        }
    }

    @Test
    void interfaceIsUpWithTheMtuAndGoesAwayOnClose() throws Exception {
        Path sys = Path.of("/sys/class/net", name);
        assertThat(tun.name()).isEqualTo(name);
        assertThat(tun.mtu()).isEqualTo(1400);
        assertThat(Files.readString(sys.resolve("mtu")).trim()).isEqualTo("1400");
        int flags = Integer.decode(Files.readString(sys.resolve("flags")).trim());
        assertThat(flags & 1).as("IFF_UP").isEqualTo(1);
        tun.close();
        assertThat(Files.exists(sys)).isFalse();
    }

    @Test
    void udpDatagramSentToThePeerIsReadAsAnIpv4Packet() throws Exception {
        byte[] payload = "hello from mpio".getBytes(StandardCharsets.US_ASCII);
        sendUdp(payload, 9999);
        ByteBuffer pkt = readMatching(p -> isIpv4To(p, peer()) && p.get(9) == 17, 1500);
        assertThat(pkt.get(0) >> 4).isEqualTo(4);
        int ihl = (pkt.get(0) & 0x0F) * 4;
        assertThat(ihl).isEqualTo(20);
        assertThat(pkt.getShort(2) & 0xFFFF).as("total length").isEqualTo(pkt.remaining());
        assertThat(addr(pkt, 12)).isEqualTo(local());
        assertThat(ipv4HeaderChecksum(pkt, ihl)).isZero();
        assertThat(pkt.getShort(ihl + 2) & 0xFFFF).as("UDP dst port").isEqualTo(9999);
        assertThat(pkt.getShort(ihl + 4) & 0xFFFF).as("UDP length").isEqualTo(8 + payload.length);
        byte[] got = new byte[payload.length];
        pkt.get(ihl + 8, got);
        assertThat(got).isEqualTo(payload);
        assertThat(tun.packetsRead()).isPositive();
    }

    @Test
    void writtenEchoRequestReachesTheHostAndIsAnswered() throws Exception {
        byte[] data = new byte[56];
        new Random(1).nextBytes(data);
        ByteBuffer req = icmpEcho(peer(), local(), 0x4d50, 7, data);
        tun.write(req);
        assertThat(req.hasRemaining()).as("write consumed the packet").isFalse();
        assertThat(tun.packetsWritten()).isEqualTo(1);
        assertThat(tun.writeDrops()).isZero();

        ByteBuffer reply = readMatching(p -> isIpv4To(p, peer()) && p.get(9) == 1 && p.get(20) == 0, 1500);
        assertThat(addr(reply, 12)).isEqualTo(local());
        assertThat(reply.getShort(24) & 0xFFFF).as("echo id").isEqualTo(0x4d50);
        assertThat(reply.getShort(26) & 0xFFFF).as("echo seq").isEqualTo(7);
        byte[] echoed = new byte[data.length];
        reply.get(28, echoed);
        assertThat(echoed).isEqualTo(data);
    }

    @Test
    void closeUnblocksABlockedReader() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            ByteBuffer b = ByteBuffer.allocate(2000);
            try {
                int n;
                do {
                    b.clear();
                    n = tun.read(b); // stray IPv6 packets may arrive first; keep reading until closed
                } while (n >= 0);
                result.set(n);
            } catch (Throwable t) {
                result.set(t);
            }
        }, "mpio-test-reader");
        reader.start();
        Thread.sleep(500);
        assertThat(reader.isAlive()).as("reader blocks while nothing arrives").isTrue();
        long t0 = System.nanoTime();
        tun.close();
        reader.join(3000);
        assertThat(reader.isAlive()).as("close() unblocked the reader").isFalse();
        assertThat(result.get()).isEqualTo(-1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1500);

        assertThat(tun.read(ByteBuffer.allocate(100))).isEqualTo(-1);
        assertThatThrownBy(() -> tun.write(icmpEcho(peer(), local(), 1, 1, new byte[8])))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
        tun.close(); // idempotent
    }

    @Test
    void smallAndEmptyBuffersAreHandled() throws Exception {
        sendUdp(new byte[300], 9998);
        // 20 bytes: exactly the IPv4 header; the rest of each packet is cut off and counted.
        ByteBuffer small = ByteBuffer.allocate(64);
        small.position(30).limit(50);
        ByteBuffer got = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        closeAfter(10);
        while (System.nanoTime() < deadline) {
            small.position(30).limit(50);
            int n = tun.read(small);
            assertThat(n).isBetween(1, 20);
            assertThat(small.position()).isEqualTo(30 + n);
            ByteBuffer view = ByteBuffer.wrap(small.array(), 30, n).slice();
            if (n == 20 && isIpv4To(view, peer())) {
                got = view;
                break;
            }
        }
        assertThat(got).as("UDP packet header").isNotNull();
        assertThat(got.getShort(2) & 0xFFFF).isEqualTo(20 + 8 + 300);
        assertThat(tun.readTruncations()).isPositive();
        assertThat(small.array()[29]).isZero();
        assertThat(small.array()[50]).as("nothing written past the limit").isZero();

        assertThatThrownBy(() -> tun.read(ByteBuffer.allocate(0))).isInstanceOf(IllegalArgumentException.class);

        long drops = tun.writeDrops();
        tun.write(ByteBuffer.allocate(0));
        tun.write(ByteBuffer.allocate(70_000));
        ByteBuffer notIp = ByteBuffer.allocate(40); // version nibble 0: the kernel refuses it
        tun.write(notIp);
        assertThat(notIp.hasRemaining()).isFalse();
        assertThat(tun.writeDrops()).isEqualTo(drops + 3);
        assertThat(tun.packetsWritten()).isZero();
    }

    @Test
    void aSecondOpenOfTheSameNameSaysItIsInUse() {
        assertThatThrownBy(() -> TunDevice.open(name, 1400))
                .isInstanceOf(IOException.class)
                .hasMessage("cannot create TUN '" + name + "': the name is in use by another process's TUN device");
    }

    @Test
    void badAddressesAreRejectedWithOneLine() {
        assertThatThrownBy(() -> tun.addAddress("10.199.0.1")).hasMessageContaining("CIDR");
        // Adding the same address twice: ip's own message, on one line.
        assertThatThrownBy(() -> tun.addAddress("10.199." + x + ".1/30"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot add address")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    // ---- helpers ----

    private InetAddress peer() {
        return v4(10, 199, x, 2);
    }

    private InetAddress local() {
        return v4(10, 199, x, 1);
    }

    private static InetAddress v4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void sendUdp(byte[] payload, int port) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local(), 0))) {
            s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(peer(), port)));
        }
    }

    /** Reads until a packet matches (other traffic, like IPv6 router solicitations, is skipped); 10 s limit. */
    private ByteBuffer readMatching(Predicate<ByteBuffer> match, int bufSize) throws Exception {
        closeAfter(10);
        ByteBuffer b = ByteBuffer.allocate(bufSize);
        while (true) {
            b.clear();
            int n = tun.read(b);
            if (n < 0) {
                throw new AssertionError("no matching packet within 10 s");
            }
            b.flip();
            if (match.test(b)) {
                return b;
            }
        }
    }

    /** A watchdog: a test that waits for a packet that never comes fails instead of hanging. */
    private void closeAfter(int seconds) {
        watchdog.schedule(() -> {
            tun.close();
            return null;
        }, seconds, TimeUnit.SECONDS);
    }

    private static boolean isIpv4To(ByteBuffer p, InetAddress dst) {
        return p.remaining() >= 20 && (p.get(0) >> 4) == 4 && addr(p, 16).equals(dst);
    }

    private static InetAddress addr(ByteBuffer p, int off) {
        byte[] a = new byte[4];
        p.get(off, a);
        try {
            return InetAddress.getByAddress(a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ByteBuffer icmpEcho(InetAddress src, InetAddress dst, int id, int seq, byte[] data) {
        int len = 20 + 8 + data.length;
        ByteBuffer p = ByteBuffer.allocate(len);
        p.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0x1234).putShort((short) 0)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(src.getAddress()).put(dst.getAddress());
        p.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
        p.putShort(10, (short) checksum(p.array(), 0, 20));
        p.putShort(22, (short) checksum(p.array(), 20, 8 + data.length));
        p.flip();
        return p;
    }

    private static int ipv4HeaderChecksum(ByteBuffer p, int ihl) {
        byte[] h = new byte[ihl];
        p.get(0, h);
        return checksum(h, 0, ihl);
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) {
            sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
        }
        if ((len & 1) != 0) {
            sum += (b[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /** A 10.199.x.0/24 with no address or route on this host yet. */
    private static int pickFreeSubnet() throws Exception {
        Random r = new Random();
        for (int i = 0; i < 50; i++) {
            int candidate = 1 + r.nextInt(250);
            Process p = new ProcessBuilder("ip", "-4", "route", "show", "table", "all", "to", "match",
                    "10.199." + candidate + ".1").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            p.waitFor();
            if (!out.contains("10.199.")) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free 10.199.x.0/24 found");
    }

    static void requireRootAndTun() {
        String why = null;
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            why = "no /dev/net/tun";
        } else if (!"root".equals(System.getProperty("user.name")) && !isUidZero()) {
            why = "not root";
        }
        if (why == null) {
            return;
        }
        String msg = "TUN tests need root and /dev/net/tun: " + why;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(msg + " (CI=true: failing instead of skipping)");
        }
        System.err.println("!!!!! SKIPPING " + msg + " !!!!!");
        Assumptions.abort(msg);
    }

    private static boolean isUidZero() {
        try {
            return Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    @SuppressWarnings("unused")
    private static String hex(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return Arrays.toString(a);
    }
}
