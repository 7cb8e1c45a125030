package dev.multipath.examples.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {

    private static final ControlRequests REQUESTS = new ControlRequests(StatusFixtures::status,
            StatusFixtures.info(), () -> StatusFixtures.NOW);

    @TempDir
    Path dir;

    @Test
    void answersStatusInTextAndJsonWithOwnerOnlyPermissions() throws Exception {
        Path socket = dir.resolve("run/multipath/mp0.sock");
        try (ControlServer server = ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 2000)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            assertThat(Files.list(socket.getParent())).as("no staging directory left").containsExactly(socket);

            assertThat(ControlClient.request(socket, "status", 2000)).startsWith("interface: mp0\n");
            assertThat(ControlClient.request(socket, "status json", 2000)).startsWith("{").contains("\"dsl\"");
            assertThat(ControlClient.request(socket, "metrics", 2000)).contains("multipath_path_up{path=\"dsl\"} 1");
        }
        assertThat(socket).as("removed on close").doesNotExist();
    }

    @Test
    void refusesAPeerWhoseUserThePolicyRejects() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        AtomicReference<String> seen = new AtomicReference<>();
        PeerPolicy onlyUid4242 = peer -> {
            seen.set(peer.getName());
            return peer.getName().equals("4242");
        };
        try (ControlServer server = ControlServer.start(socket, REQUESTS, onlyUid4242, 2000)) {
            assertThatThrownBy(() -> ControlClient.request(socket, "status", 2000))
                    .isInstanceOfSatisfying(ControlException.class,
                            e -> assertThat(e.kind()).isEqualTo(ControlException.Kind.PERMISSION_DENIED))
                    .hasMessageContaining("refused this user");
        }
        assertThat(seen.get()).as("the policy saw the kernel's peer credentials").isEqualTo(
                Files.getOwner(Path.of("/proc/self")).getName());
    }

    @Test
    void dropsAStalledClientAndServesTheNextOne() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        try (ControlServer server = ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 300);
                SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            stalled.write(ByteBuffer.wrap("sta".getBytes(StandardCharsets.US_ASCII))); // no newline, ever
            long start = System.nanoTime();
            assertThat(ControlClient.request(socket, "status", 3000)).startsWith("interface:");
            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(waitedMillis).as("served after the stalled client timed out").isBetween(200L, 2000L);
            ByteBuffer rest = ByteBuffer.allocate(10);
            assertThat(stalled.read(rest)).as("stalled client was disconnected").isEqualTo(-1);
        }
    }

    @Test
    void badRequestsGetAnErrorAndTheServerKeepsServing() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        try (ControlServer server = ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 2000)) {
            assertThatThrownBy(() -> ControlClient.request(socket, "reboot\u0007", 2000))
                    .hasMessageContaining("unknown request 'reboot?'").hasMessageContaining("status json");
            assertThatThrownBy(() -> ControlClient.request(socket, "x".repeat(10_000), 2000))
                    .hasMessageContaining("bad request: line longer than 256 bytes");
            assertThatThrownBy(() -> ControlClient.request(socket, "", 2000)).hasMessageContaining("unknown request");
            assertThat(ControlClient.request(socket, "status", 2000)).startsWith("interface:");
        }
    }

    @Test
    void replacesAStaleSocketButNotALiveOneOrAFile() throws Exception {
        Path socket = dir.resolve("mp0.sock");
        ControlServer first = ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 2000);
        assertThatThrownBy(() -> ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 2000))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("another portal is running");
        first.close();

        try (java.nio.channels.ServerSocketChannel crashed = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            crashed.bind(UnixDomainSocketAddress.of(socket));
        } // closed without removing the file: a crashed portal's leftover
        assertThat(socket).exists();
        try (ControlServer second = ControlServer.start(socket, REQUESTS, PeerPolicy.rootOrSelf(), 2000)) {
            assertThat(ControlClient.request(socket, "status", 2000)).startsWith("interface:");
        }

        Path file = Files.writeString(dir.resolve("file.sock"), "not a socket");
        assertThatThrownBy(() -> ControlServer.start(file, REQUESTS, PeerPolicy.rootOrSelf(), 2000))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("not a socket");
    }

    @Test
    void clientSaysWhenNoPortalRuns() {
        assertThatThrownBy(() -> ControlClient.request(dir.resolve("none.sock"), "status", 1000))
                .isInstanceOfSatisfying(ControlException.class,
                        e -> assertThat(e.kind()).isEqualTo(ControlException.Kind.NOT_RUNNING))
                .hasMessage("no portal running at " + dir.resolve("none.sock") + " (no such socket)");
    }
}
