package dev.multipath.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.sim.InMemoryPacketSource;
import dev.multipath.sim.MemoryTransport;
import dev.multipath.sim.TestPackets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two real, threaded portals joined by in-memory transports: start, carry packets both ways, survive a link loss, stop. */
@Timeout(30)
class PortalThreadedTest {

    @Test
    void carriesPacketsBothWaysAndSurvivesALinkLoss() throws Exception {
        Pair pair = Pair.started();
        MemoryTransport[] a = pair.a;
        InMemoryPacketSource localTun = pair.localTun;
        InMemoryPacketSource remoteTun = pair.remoteTun;
        Portal local = pair.local;
        Portal remote = pair.remote;
        try {
            waitFor(() -> remote.status().paths().size() == 2);
            assertThat(remote.status().paths()).extracting(p -> p.name()).containsExactlyInAnyOrder("a", "b");

            assertThat(carry(localTun, remoteTun, 300, 0)).isEqualTo(300);
            assertThat(carry(remoteTun, localTun, 300, 1000)).isEqualTo(300);

            a[0].setUp(false);
            waitFor(() -> local.status().paths().get(0).state().equals("down"));
            assertThat(carry(localTun, remoteTun, 200, 2000)).isEqualTo(200);
            assertThat(carry(remoteTun, localTun, 200, 3000)).isEqualTo(200);

            // The writer counts a packet just after handing it over: give the last count a moment.
            waitFor(() -> local.status().packetsToSource() == 500);
            PortalStatus s = local.status();
            assertThat(s.paths().get(0).downEvents()).isEqualTo(1);
            assertThat(s.paths().get(1).packetsSent()).isGreaterThanOrEqualTo(200);
            assertThat(s.packetsFromSource()).isEqualTo(500);
            assertThat(s.packetsToSource()).isEqualTo(500);
            // Control frames queued for the failed link in the moment it went down may fail (LINK_DOWN); no
            // packet may be lost (the counts above), and nothing else may be dropped.
            assertThat(s.drops().keySet()).isSubsetOf(DropReason.LINK_DOWN);

            a[0].setUp(true);
            waitFor(() -> local.status().paths().get(0).state().equals("up"));
        } finally {
            local.close();
            remote.close();
        }
        Thread.sleep(100);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("mp-") && t.isAlive());
    }

    /**
     * A TCP SYN read from the TUN announcing an MSS for a 1500-byte link reaches the other side announcing one that
     * fits the tunnel (TUN MTU 1400: 1360), with a valid checksum, and is counted; one that already fits passes
     * unchanged; a portal built without clamping leaves it alone.
     */
    @Test
    void tcpSynsLeaveWithAnMssThatFitsTheTunnel() throws Exception {
        Pair pair = Pair.started();
        try {
            waitFor(() -> pair.remote.status().paths().size() == 2);
            pair.localTun.inject(TestPackets.ipv4TcpSyn(3, 40000, 5201, 1460));
            byte[] got = pair.remoteTun.take(2000);
            assertThat(got).isNotNull();
            assertThat(TestPackets.mssOf(got)).isEqualTo(1400 - 40);
            assertThat(TestPackets.tcpChecksumVerifies(got)).isTrue();
            // The server's SYN-ACK, read by the remote portal, is clamped there.
            pair.remoteTun.inject(TestPackets.ipv4TcpSyn(4, 5201, 40000, 8960));
            assertThat(TestPackets.mssOf(pair.localTun.take(2000))).isEqualTo(1360);
            pair.localTun.inject(TestPackets.ipv4TcpSyn(3, 40001, 5201, 1200));
            assertThat(TestPackets.mssOf(pair.remoteTun.take(2000))).isEqualTo(1200);
            assertThat(pair.local.status().sourceCounters()).containsEntry("tcpMssClamped", 1L);
            assertThat(pair.remote.status().sourceCounters()).containsEntry("tcpMssClamped", 1L);
        } finally {
            pair.local.close();
            pair.remote.close();
        }
        MemoryTransport[] a = MemoryTransport.pair("a");
        InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
        InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
        Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).mssClamp(false).path("a", 0, a[0])
                .build();
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).listener(a[1]).build();
        remote.start();
        local.start();
        try {
            waitFor(() -> remote.status().paths().size() == 1);
            localTun.inject(TestPackets.ipv4TcpSyn(3, 40000, 5201, 1460));
            assertThat(TestPackets.mssOf(remoteTun.take(2000))).isEqualTo(1460);
            assertThat(local.status().sourceCounters()).doesNotContainKey("tcpMssClamped");
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void aPathWhoseSendsFailStopsTakingPacketsBeforeAnybodySaysItIsDown() throws Exception {
        Pair pair = Pair.started();
        MemoryTransport[] a = pair.a;
        InMemoryPacketSource localTun = pair.localTun;
        InMemoryPacketSource remoteTun = pair.remoteTun;
        Portal local = pair.local;
        Portal remote = pair.remote;
        try {
            waitFor(() -> remote.status().paths().size() == 2);
            assertThat(carry(localTun, remoteTun, 100, 0)).isEqualTo(100);
            // Path a's link still says it is up, but every send fails (its interface just went down).
            a[0].failSends(true);
            int got = carry(localTun, remoteTun, 400, 1000);
            // A path that kept pulling packets into the failing link lost about half of them; one that backs off
            // loses one packet per retry (every 20 ms).
            assertThat(got).isGreaterThanOrEqualTo(380);
            a[0].failSends(false);
            // Past the retry time; if the probes meanwhile declared it dead, they re-admit it.
            waitFor(() -> local.status().paths().get(0).state().equals("up"));
            long sentOnA = local.status().paths().get(0).packetsSent();
            assertThat(carry(localTun, remoteTun, 400, 2000)).isEqualTo(400);
            assertThat(local.status().paths().get(0).packetsSent()).as("path a carries again: %s", local.status().paths().get(0)).isGreaterThan(sentOnA);
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void datagramPathsSendInBatchesAndLoseNothing() throws Exception {
        Pair pair = Pair.started(true);
        Portal local = pair.local;
        Portal remote = pair.remote;
        try {
            waitFor(() -> remote.status().paths().size() == 2);
            assertThat(carry(pair.localTun, pair.remoteTun, 400, 0)).isEqualTo(400);
            assertThat(carry(pair.remoteTun, pair.localTun, 400, 1000)).isEqualTo(400);
            // Bursts of 50 packets: the paced sender hands several frames to the link at once.
            assertThat(Math.max(pair.a[0].largestBatch(), pair.b[0].largestBatch())).isGreaterThan(1);
            assertThat(Math.max(pair.a[1].largestBatch(), pair.b[1].largestBatch())).isGreaterThan(1);
            // A failing link refuses batches: the path backs off, and the other path carries the flow.
            pair.a[0].failSends(true);
            // One frame per 20 ms retry is lost (quiet machine: 396-399 of 400); a sender that kept batching into
            // the failing link lost 96 (304 arrived). The margin is for a loaded machine, where a run takes longer.
            assertThat(carry(pair.localTun, pair.remoteTun, 400, 2000)).isGreaterThanOrEqualTo(360);
            pair.a[0].failSends(false);
            waitFor(() -> local.status().paths().get(0).state().equals("up"));
            assertThat(carry(pair.localTun, pair.remoteTun, 400, 3000)).isEqualTo(400);
        } finally {
            local.close();
            remote.close();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(dev.multipath.auth.AuthMode.class)
    void establishesANoiseSessionAndCarriesAuthenticatedPackets(dev.multipath.auth.AuthMode mode) throws Exception {
        byte[] localKey = dev.multipath.auth.StaticKeys.generatePrivateKey();
        byte[] remoteKey = dev.multipath.auth.StaticKeys.generatePrivateKey();
        MemoryTransport[] a = MemoryTransport.pair("a");
        MemoryTransport[] b = MemoryTransport.pair("b");
        InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
        InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
        Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).queueCapacity(2048)
                .authenticator(new dev.multipath.auth.NoiseIkAuthenticator(Role.LOCAL, localKey,
                        dev.multipath.auth.StaticKeys.publicKey(remoteKey), mode))
                .path("a", 0, a[0]).path("b", 0, b[0]).build();
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).queueCapacity(2048)
                .authenticator(new dev.multipath.auth.NoiseIkAuthenticator(Role.REMOTE, remoteKey,
                        dev.multipath.auth.StaticKeys.publicKey(localKey), mode))
                .listener(a[1]).listener(b[1]).build();
        remote.start();
        local.start();
        try {
            waitFor(() -> local.status().sessionEstablished() && remote.status().paths().size() == 2);
            assertThat(carry(localTun, remoteTun, 300, 0)).as("remote drops %s, local drops %s",
                    remote.status().drops(), local.status().drops()).isEqualTo(300);
            assertThat(carry(remoteTun, localTun, 300, 1000)).as("local drops %s", local.status().drops())
                    .isEqualTo(300);
            assertThat(remote.status().drops()).doesNotContainKeys(DropReason.AUTHENTICATION, DropReason.REPLAY);
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void aLocalPortalWithTheWrongKeyNeverGetsASession() throws Exception {
        byte[] localKey = dev.multipath.auth.StaticKeys.generatePrivateKey();
        byte[] remoteKey = dev.multipath.auth.StaticKeys.generatePrivateKey();
        byte[] otherKey = dev.multipath.auth.StaticKeys.generatePrivateKey();
        MemoryTransport[] a = MemoryTransport.pair("a");
        InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
        InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
        Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).queueCapacity(2048)
                .authenticator(new dev.multipath.auth.NoiseIkAuthenticator(Role.LOCAL, otherKey,
                        dev.multipath.auth.StaticKeys.publicKey(remoteKey), dev.multipath.auth.AuthMode.AUTHENTICATE))
                .path("a", 0, a[0]).build();
        Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).queueCapacity(2048)
                .authenticator(new dev.multipath.auth.NoiseIkAuthenticator(Role.REMOTE, remoteKey,
                        dev.multipath.auth.StaticKeys.publicKey(localKey), dev.multipath.auth.AuthMode.AUTHENTICATE))
                .listener(a[1]).build();
        remote.start();
        local.start();
        try {
            Thread.sleep(1500);
            localTun.inject(TestPackets.ipv4Udp(3, 1000, 2000, 1, 200));
            assertThat(remoteTun.take(500)).isNull();
            assertThat(local.status().sessionEstablished()).isFalse();
            assertThat(remote.status().paths()).isEmpty();
            assertThat(remote.status().drops()).containsKey(DropReason.HANDSHAKE_REJECTED);
        } finally {
            local.close();
            remote.close();
        }
    }

    @Test
    void builderRejectsInconsistentParts() {
        InMemoryPacketSource tun = new InMemoryPacketSource("t", 1400);
        MemoryTransport[] a = MemoryTransport.pair("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Portal.builder().role(Role.LOCAL).packetSource(tun).build())
                .hasMessageContaining("at least one path");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Portal.builder().role(Role.REMOTE).packetSource(tun).build())
                .hasMessageContaining("listener");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Portal.builder().packetSource(tun)
                .path("x", 0, a[0]).path("x", 0, a[1]).build()).hasMessageContaining("duplicate");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Portal.builder().path("x", 300, a[0]))
                .hasMessageContaining("metric");
    }

    /** Two portals joined by two in-memory paths, a and b, without authentication, started. */
    private record Pair(MemoryTransport[] a, MemoryTransport[] b, InMemoryPacketSource localTun,
            InMemoryPacketSource remoteTun, Portal local, Portal remote) {
        static Pair started() throws Exception {
            return started(false);
        }

        /** With {@code datagram}, every link end is a datagram link (paced and batched by the engine). */
        static Pair started(boolean datagram) throws Exception {
            MemoryTransport[] a = MemoryTransport.pair("a");
            MemoryTransport[] b = MemoryTransport.pair("b");
            if (datagram) {
                for (MemoryTransport t : new MemoryTransport[] {a[0], a[1], b[0], b[1]}) {
                    t.datagram();
                }
            }
            InMemoryPacketSource localTun = new InMemoryPacketSource("tun-l", 1400);
            InMemoryPacketSource remoteTun = new InMemoryPacketSource("tun-r", 1400);
            Portal local = Portal.builder().role(Role.LOCAL).packetSource(localTun).queueCapacity(2048)
                    .path("a", 0, a[0]).path("b", 0, b[0]).build();
            Portal remote = Portal.builder().role(Role.REMOTE).packetSource(remoteTun).queueCapacity(2048)
                    .listener(a[1]).listener(b[1]).build();
            remote.start();
            local.start();
            return new Pair(a, b, localTun, remoteTun, local, remote);
        }
    }

    private static int carry(InMemoryPacketSource from, InMemoryPacketSource to, int n, long base) throws Exception {
        for (int i = 0; i < n; i++) {
            from.inject(TestPackets.ipv4Udp(3, 1000, 2000, base + i, 200 + i % 1000));
            if (i % 50 == 49) {
                Thread.sleep(2);
            }
        }
        Set<Long> got = new HashSet<>();
        byte[] p;
        while (got.size() < n && (p = to.take(2000)) != null) {
            got.add(TestPackets.sequenceOf(p));
        }
        return got.size();
    }

    private static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }
}
