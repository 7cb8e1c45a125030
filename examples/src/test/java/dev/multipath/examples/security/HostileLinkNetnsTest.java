package dev.multipath.examples.security;

import static dev.multipath.examples.security.MphPortals.drops;
import static dev.multipath.examples.security.MphPortals.onlyPath;
import static dev.multipath.examples.security.MphPortals.sh;
import static dev.multipath.examples.security.MphPortals.waitForLine;
import static dev.multipath.examples.security.MphPortals.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.crypto.tink.subtle.X25519;
import dev.multipath.auth.StaticKeys;
import dev.multipath.frame.FrameHeader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's hostile network tests: two real portals joined by one UDP link that runs through a third, hostile
 * namespace, which routes the link and so sees every frame and can inject anything (from its own address, or
 * spoofed as the local portal). A steady UDP stream of numbered datagrams (50/s) runs through the tunnel from the
 * local portal's namespace to a listener on the remote portal's TUN address (the "server").
 *
 * <pre>
 *  ns L (local portal, TUN 172.31.83.2)  10.83.1.1 --veth-- 10.83.1.254  ns M (router + attacker)
 *  ns M  10.83.2.254 (attacker's address) --veth-- 10.83.2.2  ns R (remote portal, listener on 172.31.83.1:9000)
 * </pre>
 * For every attack the test checks: the drop counter of the expected reason grew by the number of frames sent,
 * nothing reached the server (no number seen twice, nothing foreign, the remote TUN got only the stream), the remote
 * portal sent nothing to the attacker's address (the attacker's socket and the capture on the link both count), and
 * the stream went on. One topology and one pair of portals serve all tests (in order), to stay within ~1.5 minutes.
 * Needs root, network namespaces, /dev/net/tun and nft.
 */
@Tag("netns")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileLinkNetnsTest {

    private static final int STREAM_RATE = 50;
    private static final int PORT = 4789;
    private static final long QUIET_MILLIS = 2_000;

    private final String id = "mph" + ProcessHandle.current().pid() % 10000;
    private final String localNs = id + "-l";
    private final String middleNs = id + "-m";
    private final String remoteNs = id + "-r";
    private final InetAddress localAddress = ip("10.83.1.1");
    private final InetAddress remoteAddress = ip("10.83.2.2");
    private final InetAddress attackerAddress = ip("10.83.2.254");
    private final InetSocketAddress remoteEndpoint = new InetSocketAddress(remoteAddress, PORT);
    private final String localPrivate = StaticKeys.generatePrivateKeyBase64();
    private final String remotePrivate = StaticKeys.generatePrivateKeyBase64();
    private final String thirdPrivate = StaticKeys.generatePrivateKeyBase64();
    private final Random random = new Random(4);
    private final Map<String, String> figures = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    private MphPortals portals;
    private boolean namespacesMade;
    private Path localSocket;
    private Path remoteSocket;
    private MphLinkCapture toRemote;   // on M's interface towards R: what R receives and sends
    private MphLinkCapture fromLocal;  // on M's interface towards L: what L sends, before M forwards or drops it
    private MphRawInjector injector;
    private DatagramSocket attacker;
    private final AtomicLong attackerReceived = new AtomicLong();
    private MphUdpStream stream;

    @BeforeAll
    void setUp() throws Exception {
        String why = Files.exists(Path.of("/dev/net/tun")) ? null : "no /dev/net/tun";
        if (why == null && !"0".equals(MphPortals.output("id", "-u").strip())) {
            why = "not root";
        }
        if (why == null && MphPortals.output("sh", "-c", "command -v nft").isBlank()) {
            why = "no nft";
        }
        if (why != null) {
            String message = "HostileLinkNetnsTest needs root, network namespaces and nft: " + why;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: failing instead of skipping)");
            }
            System.err.println("\n*** SKIPPED: " + message + " ***\n");
            Assumptions.assumeTrue(false, message);
        }
        portals = new MphPortals(dir);
        namespacesMade = true;
        for (String ns : List.of(localNs, middleNs, remoteNs)) {
            sh("ip netns add " + ns);
            sh("ip -n " + ns + " link set lo up");
        }
        sh("ip link add " + id + "l0 netns " + localNs + " type veth peer name " + id + "m0 netns " + middleNs);
        sh("ip link add " + id + "m1 netns " + middleNs + " type veth peer name " + id + "r1 netns " + remoteNs);
        sh("ip -n " + localNs + " addr add 10.83.1.1/24 dev " + id + "l0");
        sh("ip -n " + middleNs + " addr add 10.83.1.254/24 dev " + id + "m0");
        sh("ip -n " + middleNs + " addr add 10.83.2.254/24 dev " + id + "m1");
        sh("ip -n " + remoteNs + " addr add 10.83.2.2/24 dev " + id + "r1");
        sh("ip -n " + localNs + " link set " + id + "l0 up");
        sh("ip -n " + middleNs + " link set " + id + "m0 up");
        sh("ip -n " + middleNs + " link set " + id + "m1 up");
        sh("ip -n " + remoteNs + " link set " + id + "r1 up");
        sh("ip -n " + localNs + " route add 10.83.2.0/24 via 10.83.1.254");
        sh("ip -n " + remoteNs + " route add 10.83.1.0/24 via 10.83.2.254");
        sh("ip netns exec " + middleNs + " sysctl -q -w net.ipv4.ip_forward=1");

        // The attacker watches from before the first frame, so it also holds the session's handshake initiation.
        toRemote = MphLinkCapture.start(middleNs, id + "m1");
        fromLocal = MphLinkCapture.start(middleNs, id + "m0");
        injector = MphRawInjector.open(middleNs);
        attacker = MphNetns.call(middleNs, () -> {
            DatagramSocket s = new DatagramSocket(new InetSocketAddress(attackerAddress, 0));
            s.setSoTimeout(200);
            return s;
        });
        Thread listen = new Thread(() -> {
            byte[] b = new byte[65536];
            while (!attacker.isClosed()) {
                try {
                    attacker.receive(new DatagramPacket(b, b.length));
                    attackerReceived.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // keep listening
                } catch (IOException e) {
                    return;
                }
            }
        }, "mph-attacker-rx");
        listen.setDaemon(true);
        listen.start();

        remoteSocket = dir.resolve("r.sock");
        localSocket = dir.resolve("l.sock");
        Path remoteConfig = write("remote.toml", "[portal]\nrole = \"remote\"\ntun = \"" + id + "t1\"\n"
                + "address = \"172.31.83.1/30\"\nlisten = \"0.0.0.0:" + PORT + "\"\n"
                + "control_socket = \"" + remoteSocket + "\"\n"
                + "private_key = \"" + remotePrivate + "\"\n"
                + "[peer]\npublic_key = \"" + StaticKeys.publicKeyBase64(localPrivate) + "\"\n");
        Path localConfig = write("local.toml", localConfig(id + "t0", "172.31.83.2/30", localSocket, localPrivate,
                "10.83.1.1"));
        Process remote = portals.portal(remoteNs, "remote.log", "run", "-c", remoteConfig.toString());
        waitForLine(remote, dir.resolve("remote.log"), "portal up: remote portal");
        Process local = portals.portal(localNs, "local.log", "run", "-c", localConfig.toString());
        waitForLine(local, dir.resolve("local.log"), "path a up");
        waitUntil(() -> portals.status(localSocket).get("sessionEstablished").asBoolean(), 10_000,
                "session established");
        stream = MphUdpStream.start(localNs, remoteNs, new InetSocketAddress("172.31.83.1", 9000), STREAM_RATE);
        waitUntil(() -> stream.received() >= 20, 10_000, "stream flowing through the tunnel");
    }

    private String localConfig(String tun, String address, Path socket, String privateKey, String source) {
        return "[portal]\nrole = \"local\"\ntun = \"" + tun + "\"\naddress = \"" + address + "\"\n"
                + "control_socket = \"" + socket + "\"\nprivate_key = \"" + privateKey + "\"\n"
                + "[peer]\npublic_key = \"" + StaticKeys.publicKeyBase64(remotePrivate) + "\"\n"
                + "\n[[path]]\nname = \"a\"\ntransport = \"udp\"\nlocal = \"" + source + "\"\nremote = \""
                + remoteAddress.getHostAddress() + ":" + PORT + "\"\n";
    }

    @AfterAll
    void tearDown() throws Exception {
        if (!figures.isEmpty()) {
            System.out.println("HostileLinkNetnsTest figures:");
            figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        }
        if (stream != null) {
            stream.close();
        }
        if (attacker != null) {
            attacker.close();
        }
        if (injector != null) {
            injector.close();
        }
        for (MphLinkCapture c : new MphLinkCapture[] {toRemote, fromLocal}) {
            if (c != null) {
                c.close();
            }
        }
        if (portals != null) {
            portals.close();
        }
        if (namespacesMade) {
            for (String ns : List.of(localNs, middleNs, remoteNs)) {
                new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ the attacks

    @Test
    @Order(1)
    void replayedHandshakeInitiationIsRejectedWithNoAnswerAndTheSessionCarriesOn() throws Exception {
        List<MphCapturedPacket> initiations = toRemote.packets(fromLocalPortal().and(p -> p.frameType() == 8));
        assertThat(initiations).as("the attacker captured the session's handshake initiation").isNotEmpty();
        MphCapturedPacket initiation = initiations.get(0);
        int genuineInitiations = fromLocal.count(p -> !p.outgoing() && p.source().equals(localAddress)
                && p.frameType() == 8);
        Before before = before();
        for (int i = 0; i < 3; i++) {
            injector.send(initiation.forResending()); // spoofed: as if from the local portal
            sendFromAttacker(initiation.udpPayload());
        }
        Effect effect = after(before);
        record("replayed initiations", effect);
        assertThat(effect.drop("HANDSHAKE_REJECTED")).as("each replayed initiation rejected").isEqualTo(6);
        assertThat(toRemote.count(p -> p.nanos() > before.nanos && !p.outgoing() && p.frameType() == 9))
                .as("no handshake response sent by the remote portal").isZero();
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
        assertThat(portals.status(localSocket).get("sessionEstablished").asBoolean()).isTrue();
        assertThat(portals.status(remoteSocket).get("sessionEstablished").asBoolean()).isTrue();
        assertThat(fromLocal.count(p -> !p.outgoing() && p.source().equals(localAddress) && p.frameType() == 8))
                .as("the local portal needed no new handshake").isEqualTo(genuineInitiations);
        assertThat(onlyPath(portals.status(remoteSocket)).get("packetsReceived").asLong())
                .as("DATA frames of the session still verify at the remote portal")
                .isGreaterThan(onlyPath(before.remote).get("packetsReceived").asLong() + STREAM_RATE);
    }

    @Test
    @Order(2)
    void capturedFramesResentInsideTheReplayWindowAreDroppedAsReplay() throws Exception {
        List<MphCapturedPacket> recent = lastDataFrames(100);
        Before before = before();
        for (MphCapturedPacket p : recent) {
            injector.send(p.forResending());     // spoofed as the local portal
            sendFromAttacker(p.udpPayload());    // from the attacker's own address
        }
        Effect effect = after(before);
        record("frames re-sent inside the window", effect);
        assertThat(effect.drop("REPLAY")).as("every re-sent frame dropped as a replay").isEqualTo(2L * recent.size());
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(3)
    void capturedFramesResentFarOutsideTheReplayWindowAreDroppedAsReplay() throws Exception {
        List<MphCapturedPacket> old = dataFrames().subList(0, 50);
        long oldest = counter(old.get(old.size() - 1));
        // Move the window on: more than 8192 frames through the tunnel.
        stream.burst(12_000, 8);
        waitUntil(() -> counter(lastDataFrames(1).get(0)) - oldest > 10_000, 10_000, "counter 10 000 frames on");
        figures.put("counter distance of the frames re-sent outside the window",
                "" + (counter(lastDataFrames(1).get(0)) - oldest));
        Thread.sleep(500);
        Before before = before();
        for (MphCapturedPacket p : old) {
            injector.send(p.forResending());
            sendFromAttacker(p.udpPayload());
        }
        Effect effect = after(before);
        record("frames re-sent far outside the window", effect);
        assertThat(effect.drop("REPLAY") + effect.drop("STALE")).as("every old frame dropped")
                .isEqualTo(2L * old.size());
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(4)
    void forgedFramesWithValidHeadersAndRandomTagsAreDroppedAsAuthentication() throws Exception {
        List<MphCapturedPacket> recent = lastDataFrames(100);
        long fresh = counter(recent.get(recent.size() - 1)) + 100_000;
        Before before = before();
        int sent = 0;
        for (MphCapturedPacket p : recent) {
            // A fresh counter (above the window), so the frame reaches the tag check; then a random tag, or a
            // changed payload under the genuine tag.
            byte[] frame = p.udpPayload();
            FrameHeader.setCounter(frame, 0, fresh++);
            byte[] tag = new byte[12];
            random.nextBytes(tag);
            System.arraycopy(tag, 0, frame, frame.length - 12, 12);
            sendFromAttacker(frame);
            byte[] changed = p.udpPayload();
            FrameHeader.setCounter(changed, 0, fresh++);
            changed[FrameHeader.LENGTH + 20] ^= 1;
            sendFromAttacker(changed);
            sent += 2;
        }
        Effect effect = after(before);
        record("forged frames", effect);
        assertThat(effect.drop("AUTHENTICATION")).as("every forged frame fails its tag").isEqualTo(sent);
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(5)
    void framesSealedUnderAThirdKeyPairAreDroppedAsAuthentication() throws Exception {
        // The attacker's best try with its own key pair: a key from X25519(third private, remote public), used
        // exactly as the portals use theirs (AES-GCM, 96-bit tag, nonce = counter, header and payload authenticated).
        byte[] shared = X25519.computeSharedSecret(StaticKeys.decode(thirdPrivate),
                StaticKeys.decode(StaticKeys.publicKeyBase64(remotePrivate)));
        SecretKeySpec key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(shared), "AES");
        List<MphCapturedPacket> recent = lastDataFrames(100);
        long fresh = counter(recent.get(recent.size() - 1)) + 200_000;
        Before before = before();
        for (MphCapturedPacket p : recent) {
            byte[] frame = p.udpPayload();
            FrameHeader.setCounter(frame, 0, fresh);
            byte[] nonce = new byte[12];
            for (int i = 0; i < 6; i++) {
                nonce[11 - i] = (byte) (fresh >>> (8 * i));
            }
            fresh++;
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(96, nonce));
            gcm.updateAAD(frame, 0, frame.length - 12);
            byte[] tag = gcm.doFinal();
            System.arraycopy(tag, 0, frame, frame.length - 12, 12);
            sendFromAttacker(frame);
        }
        Effect effect = after(before);
        record("frames under a third key", effect);
        assertThat(effect.drop("AUTHENTICATION")).isEqualTo(recent.size());
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(6)
    void randomJunkOfManySizesIsDroppedAndCounted() throws Exception {
        List<byte[]> junk = new ArrayList<>();
        int[] sizes = {1, 2, 5, 11, 12, 13, 23, 24, 25, 64, 77, 78, 79, 137, 138, 139, 256, 512, 1000, 1400, 1472};
        for (int round = 0; round < 10; round++) {
            for (int size : sizes) {
                byte[] b = new byte[size];
                random.nextBytes(b);
                if (round % 2 == 1) {
                    b[0] = (byte) ((b[0] & 0x3f) | 0x40); // version 1: get past the first check
                }
                junk.add(b);
            }
        }
        Before before = before();
        for (byte[] b : junk) {
            sendFromAttacker(b);
        }
        Effect effect = after(before);
        record("junk datagrams (" + junk.size() + ")", effect);
        assertThat(effect.totalDrops).as("every junk datagram dropped and counted").isEqualTo(junk.size());
        assertThat(effect.drop("MALFORMED")).as("most junk fails the header check").isGreaterThan(junk.size() / 2);
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(7)
    void aFrameWithABadTagFromANewAddressDoesNotMoveOrAddAPath() throws Exception {
        JsonNode before = portals.status(remoteSocket);
        String endpoint = onlyPath(before).get("remote").asText();
        assertThat(endpoint).as("the remote learned the local portal's address").startsWith("10.83.1.1:");
        MphCapturedPacket last = lastDataFrames(1).get(0);
        long fresh = counter(last) + 300_000;
        for (int i = 0; i < 20; i++) {
            byte[] frame = last.udpPayload();
            FrameHeader.setCounter(frame, 0, fresh++);
            frame[1] = (byte) (i % 2 == 0 ? 0 : 7); // the real path id, and a new one
            frame[frame.length - 1] ^= 0x55;
            sendFromAttacker(frame);
        }
        Thread.sleep(1_000);
        JsonNode after = portals.status(remoteSocket);
        assertThat(after.get("paths")).as("no path added").hasSize(1);
        assertThat(onlyPath(after).get("remote").asText()).as("path endpoint unchanged").isEqualTo(endpoint);
        assertThat(attackerReceived.get()).isZero();
    }

    @Test
    @Order(8)
    void aLocalPortalWithTheWrongKeyNeverGetsASession() throws Exception {
        // An impostor in the attacker's namespace: the right remote public key, but its own (third) key pair.
        Path socket = dir.resolve("x.sock");
        Path config = write("impostor.toml", localConfig(id + "t2", "172.31.83.6/30", socket, thirdPrivate,
                attackerAddress.getHostAddress()));
        Before before = before();
        Process impostor = portals.portal(middleNs, "impostor.log", "run", "-c", config.toString());
        waitForLine(impostor, dir.resolve("impostor.log"), "path a up");
        Process ping = new ProcessBuilder("ip", "netns", "exec", middleNs, "ping", "-q", "-c", "10", "-i", "0.2",
                "-W", "1", "172.31.83.5").redirectErrorStream(true).redirectOutput(dir.resolve("x-ping.log").toFile())
                .start();
        ping.waitFor();
        Thread.sleep(1_500);
        JsonNode status = portals.status(socket);
        portals.stop(impostor);
        Effect effect = after(before);
        record("impostor with the wrong key", effect);
        assertThat(status.get("sessionEstablished").asBoolean()).as("impostor session").isFalse();
        assertThat(onlyPath(status).get("packetsReceived").asLong()).isZero();
        assertThat(effect.drop("HANDSHAKE_REJECTED")).as("its initiations (one a second) rejected")
                .isGreaterThanOrEqualTo(2);
        assertThat(toRemote.count(p -> p.nanos() > before.nanos && !p.outgoing()
                && p.destination().equals(attackerAddress))).as("nothing sent to the impostor").isZero();
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(9)
    void framesHeldBackAndDeliveredLateAreDroppedAsStale() throws Exception {
        // The router drops the local portal's frames for 300 ms (it still sees them on its inbound side), then
        // delivers them 4 s late with the local portal's source address. They were never received, so the replay
        // window cannot tell; only freshness can.
        long holdStart = System.nanoTime();
        MphPortals.nft(middleNs, "table ip " + id + "hold {\n chain forward_drop {\n  type filter hook forward priority 0;\n"
                + "  ip saddr 10.83.1.1 udp dport " + PORT + " drop\n }\n}\n");
        Thread.sleep(300);
        MphPortals.nft(middleNs, "delete table ip " + id + "hold\n");
        long holdEnd = System.nanoTime();
        List<MphCapturedPacket> seenOnInbound = fromLocal.packets(p -> !p.outgoing() && p.nanos() >= holdStart
                && p.nanos() <= holdEnd && p.destinationPort() == PORT && p.source().equals(localAddress));
        List<Long> forwarded = new ArrayList<>();
        for (MphCapturedPacket p : toRemote.packets(fromLocalPortal())) {
            forwarded.add(counter(p));
        }
        List<MphCapturedPacket> held = new ArrayList<>();
        for (MphCapturedPacket p : seenOnInbound) {
            if (p.frameType() < 8 && !forwarded.contains(counter(p))) {
                held.add(p);
            }
        }
        assertThat(held).as("frames held back").isNotEmpty();
        Thread.sleep(Math.max(0, 4_000 - (System.nanoTime() - holdStart) / 1_000_000));
        Before before = before();
        for (MphCapturedPacket p : held) {
            injector.send(p.forResending());
        }
        Effect effect = after(before);
        record("frames held back 4 s (" + held.size() + ")", effect);
        assertThat(effect.drop("STALE")).as("every late frame dropped as stale").isEqualTo(held.size());
        assertNothingGotThroughAndTheFlowCarriesOn(effect);
    }

    @Test
    @Order(10)
    void aGenuinePathThatChangesAddressIsFollowed() throws Exception {
        // The router starts translating the local portal's source address (as a NAT that rebinds would), statelessly
        // so the change takes effect at once: the remote must follow, since the frames from the new address verify.
        // 10.83.2.77 must not be an address of the router (a packet from a local address is a martian there):
        // the remote portal's namespace reaches it through a fixed neighbour entry for the router's interface.
        String routerMac = MphPortals.output("ip", "netns", "exec", middleNs, "cat",
                "/sys/class/net/" + id + "m1/address").strip();
        sh("ip -n " + remoteNs + " neigh add 10.83.2.77 lladdr " + routerMac + " dev " + id + "r1");
        MphPortals.nft(middleNs, "table ip " + id + "roam {\n chain pre {\n"
                + "  type filter hook prerouting priority -300;\n"
                + "  iifname \"" + id + "m0\" ip saddr 10.83.1.1 udp dport " + PORT + " notrack ip saddr set 10.83.2.77\n"
                + "  iifname \"" + id + "m1\" ip daddr 10.83.2.77 udp sport " + PORT + " notrack ip daddr set 10.83.1.1\n"
                + " }\n}\n");
        long start = System.nanoTime();
        waitUntil(() -> onlyPath(portals.status(remoteSocket)).get("remote").asText().startsWith("10.83.2.77:"),
                5_000, "path endpoint moved to 10.83.2.77");
        figures.put("roaming followed after", (System.nanoTime() - start) / 1_000_000 + " ms");
        long received = stream.received();
        Thread.sleep(1_500);
        assertThat(stream.received() - received).as("the stream carries on over the new address")
                .isGreaterThan(STREAM_RATE);
        assertThat(stream.duplicates()).isZero();
    }

    @Test
    @Order(11)
    void aFloodFromManySpoofedSourcesDoesNotTakeTheGenuinePathDown() throws Exception {
        // The UDP listener keeps one link per source address, at most 4096, least recently heard evicted with a
        // link-down. Junk from more spoofed sources than that, faster than the genuine path's frames (50/s here).
        sh("ip -n " + remoteNs + " route add 10.84.0.0/16 via 10.83.2.254");
        JsonNode before = portals.status(remoteSocket);
        int sources = 6_000;
        long start = System.nanoTime();
        for (int i = 0; i < sources; i++) {
            byte[] ip = new byte[29];
            ip[0] = 0x45;
            ip[3] = 29;
            ip[8] = 64;
            ip[9] = 17;
            ip[12] = 10;
            ip[13] = 84;
            ip[14] = (byte) (i >>> 8);
            ip[15] = (byte) i;
            System.arraycopy(remoteAddress.getAddress(), 0, ip, 16, 4);
            ip[20] = (byte) 0x9c;
            ip[21] = 0x40;
            ip[22] = (byte) (PORT >>> 8);
            ip[23] = (byte) PORT;
            ip[25] = 9;
            injector.send(ip);
        }
        long floodMillis = (System.nanoTime() - start) / 1_000_000;
        Thread.sleep(1_000);
        JsonNode after = portals.status(remoteSocket);
        long downEvents = onlyPath(after).get("downEvents").asLong() - onlyPath(before).get("downEvents").asLong();
        figures.put("flood from " + sources + " spoofed sources", "sent in " + floodMillis + " ms, remote drops "
                + (MphPortals.totalDrops(after) - MphPortals.totalDrops(before)) + ", genuine path down events "
                + downEvents);
        assertThat(downEvents).as("the genuine path was never taken down by unauthenticated datagrams").isZero();
    }

    // ------------------------------------------------------------------------------------------------ observation

    private record Before(JsonNode remote, long nanos, long streamReceived, long attackerReceived) {
    }

    private record Effect(Map<String, Long> drops, long totalDrops, long remoteToSource, long streamReceived,
            long attackerReceived, long capturedToAttacker) {
        long drop(String reason) {
            return drops.getOrDefault(reason.toLowerCase(java.util.Locale.ROOT), 0L);
        }
    }

    private Before before() throws IOException {
        return new Before(portals.status(remoteSocket), System.nanoTime(), stream.received(), attackerReceived.get());
    }

    /** Waits {@link #QUIET_MILLIS} for any answer or effect, then measures what changed. */
    private Effect after(Before before) throws Exception {
        Thread.sleep(QUIET_MILLIS);
        JsonNode remote = portals.status(remoteSocket);
        long streamReceived = stream.received() - before.streamReceived;
        Map<String, Long> deltas = new LinkedHashMap<>();
        long total = 0;
        var names = remote.path("drops").fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            long d = drops(remote, name) - drops(before.remote, name);
            if (d != 0) {
                deltas.put(name, d);
                total += d;
            }
        }
        long toAttacker = toRemote.count(p -> p.nanos() > before.nanos && !p.outgoing()
                && p.destination().equals(attackerAddress));
        return new Effect(deltas, total, remote.get("packetsToSource").asLong()
                - before.remote.get("packetsToSource").asLong(), streamReceived,
                attackerReceived.get() - before.attackerReceived, toAttacker);
    }

    private void assertNothingGotThroughAndTheFlowCarriesOn(Effect effect) {
        assertThat(stream.duplicates()).as("no datagram reached the server twice").isZero();
        assertThat(stream.foreign()).as("nothing foreign reached the server").isZero();
        assertThat(effect.remoteToSource).as("the remote TUN got the stream and nothing else")
                .isLessThanOrEqualTo(effect.streamReceived + 5);
        assertThat(effect.attackerReceived).as("datagrams the attacker's socket received").isZero();
        assertThat(effect.capturedToAttacker).as("packets to the attacker's address on the link").isZero();
        assertThat(effect.streamReceived).as("the stream carried on (%d/s for %d ms)", STREAM_RATE, QUIET_MILLIS)
                .isGreaterThanOrEqualTo(STREAM_RATE * QUIET_MILLIS / 1000 * 8 / 10);
    }

    private void record(String attack, Effect effect) {
        String line = "drops " + effect.drops + ", remote TUN writes " + effect.remoteToSource + ", stream received "
                + effect.streamReceived + ", answers to the attacker " + effect.attackerReceived + " (socket) / "
                + effect.capturedToAttacker + " (link)";
        figures.put(attack, line);
        System.out.println(attack + ": " + line);
    }

    // ------------------------------------------------------------------------------------------------ frames

    private Predicate<MphCapturedPacket> fromLocalPortal() {
        return p -> p.outgoing() && p.destinationPort() == PORT && p.destination().equals(remoteAddress)
                && p.source().equals(localAddress);
    }

    private List<MphCapturedPacket> dataFrames() {
        return toRemote.packets(fromLocalPortal().and(p -> p.frameType() == 0));
    }

    private List<MphCapturedPacket> lastDataFrames(int n) {
        List<MphCapturedPacket> all = dataFrames();
        assertThat(all.size()).as("DATA frames captured").isGreaterThanOrEqualTo(n);
        return new ArrayList<>(all.subList(all.size() - n, all.size()));
    }

    private static long counter(MphCapturedPacket p) {
        return FrameHeader.counter(p.udpPayload(), 0);
    }

    private void sendFromAttacker(byte[] frame) throws IOException {
        attacker.send(new DatagramPacket(frame, frame.length, remoteEndpoint));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unused")
    private static String hex(byte[] b) {
        return Arrays.toString(b);
    }
}
