package dev.multipath.tun;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TSO offload on real TUN devices: two offloading TUNs joined by a relay in this JVM (reader thread per device,
 * writer thread that flushes when its queue is empty, as the portal's writer does). TUN "a" stays in this
 * namespace, "b" moves to a fresh namespace; a shell there sends 24 MB of random bytes over TCP to a server socket
 * here. The bytes must arrive intact (SHA-256), the sending kernel's super-packets must have been cut (read side)
 * and the segments joined again (write side), with nothing dropped. A wrong checksum in either direction would make
 * the receiving kernel drop the segments and the transfer stall.
 */
@Tag("netns")
class TunOffloadNetnsTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final int BYTES = 24 << 20;

    @ParameterizedTest(name = "IPv{0}")
    @ValueSource(ints = {4, 6})
    void tcpThroughTwoOffloadingTunsArrivesIntactAndUsesSuperPackets(int version) throws Exception {
        TunDeviceNetnsTest.requireRootAndTun();
        String tag = "mpo" + (ProcessHandle.current().pid() % 10000) + "x" + SEQ.incrementAndGet();
        String ns = tag + "ns";
        int x = 1 + (int) (ProcessHandle.current().pid() % 200) + SEQ.get();
        String here = version == 4 ? "10.198." + x + ".1" : "fd19:8:" + Integer.toHexString(x) + "::1";
        String there = version == 4 ? "10.198." + x + ".2" : "fd19:8:" + Integer.toHexString(x) + "::2";
        String prefix = version == 4 ? "/24" : "/64";
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new java.util.ArrayList<>();
        run("ip", "netns", "add", ns);
        try (TunDevice a = TunDevice.open(tag + "a", 1400, true); TunDevice b = TunDevice.open(tag + "b", 1400, true)) {
            assertThat(a.offload()).isTrue();
            run("ip", "link", "set", b.name(), "netns", ns);
            run("ip", "addr", "add", here + prefix, "dev", a.name(), "nodad");
            run("ip", "-n", ns, "addr", "add", there + prefix, "dev", b.name(), "nodad");
            run("ip", "-n", ns, "link", "set", b.name(), "up");
            run("ip", "-n", ns, "link", "set", "lo", "up");
            threads.addAll(relay(b, a, running));
            threads.addAll(relay(a, b, running));

            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getByName(here), 0));
                server.setSoTimeout(20_000);
                String target = (version == 4 ? here : "[" + here + "]");
                // bash's /dev/tcp: the sending TCP stack is the namespace's kernel, which hands TUN b super-packets.
                java.nio.file.Path data = java.nio.file.Files.createTempFile("mpoffload", ".bin");
                byte[] bytes = new byte[BYTES];
                new java.util.Random(version).nextBytes(bytes);
                java.nio.file.Files.write(data, bytes);
                String sent = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                String script = "cat " + data + " > /dev/tcp/" + here + "/" + server.getLocalPort();
                Process sender = new ProcessBuilder("ip", "netns", "exec", ns, "bash", "-c", script)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long received = 0;
                try (Socket s = server.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                        received += n;
                    }
                }
                assertThat(sender.waitFor(20, TimeUnit.SECONDS)).as("sender done via %s", target).isTrue();
                java.nio.file.Files.delete(data);
                assertThat(received).isEqualTo(BYTES);
                assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(sent);
            }
            System.out.printf("offload IPv%d: b read %d packets from %d super-packets; a wrote %d, %d in %d joined "
                    + "writes%n", version, b.packetsRead(), b.superPacketsRead(), a.packetsWritten(),
                    a.segmentsJoined(), a.superPacketsWritten());
            assertThat(b.superPacketsRead()).as("super-packets cut on read").isPositive();
            assertThat(a.superPacketsWritten()).as("segments joined on write").isPositive();
            assertThat(a.segmentsJoined()).isGreaterThan(2 * a.superPacketsWritten());
            assertThat(b.offloadReadDrops() + a.offloadReadDrops() + a.writeDrops() + b.writeDrops()
                    + a.readTruncations() + b.readTruncations()).isZero();
        } finally {
            running.set(false);
            for (Thread t : threads) {
                t.join(3000);
            }
            tryRun("ip", "netns", "del", ns);
        }
    }

    /** Reader thread copies packets from {@code from} into a queue; writer thread writes them to {@code to}. */
    private static List<Thread> relay(TunDevice from, TunDevice to, AtomicBoolean running) {
        BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4096);
        Thread reader = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(2048);
            try {
                while (running.get()) {
                    buf.clear();
                    int n = from.read(buf);
                    if (n < 0) {
                        return;
                    }
                    queue.offer(java.util.Arrays.copyOf(buf.array(), n));
                }
            } catch (Exception e) {
                // device closed at the end of the test
            }
        }, "relay-read-" + from.name());
        Thread writer = new Thread(() -> {
            try {
                while (running.get()) {
                    byte[] p = queue.poll();
                    if (p == null) {
                        to.flush();
                        p = queue.poll(5, TimeUnit.MILLISECONDS);
                        if (p == null) {
                            continue;
                        }
                    }
                    to.write(ByteBuffer.wrap(p));
                }
            } catch (Exception e) {
                // device closed at the end of the test
            }
        }, "relay-write-" + to.name());
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
        return List.of(reader, writer);
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.trim());
        }
    }

    private static void tryRun(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor();
        } catch (Exception e) {
            // best effort clean-up
        }
    }
}
