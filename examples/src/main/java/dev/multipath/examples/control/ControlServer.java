package dev.multipath.examples.control;

import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of a running portal: an AF_UNIX stream socket (JDK, since 16) that answers one request
 * per connection through a {@link ControlHandler} (protocol: {@link ControlProtocol}).
 *
 * <p>Security: the socket file is created with mode 0600; a missing parent directory is created with mode 0700.
 * To leave no moment in which the socket has looser permissions (umask), it is bound inside a fresh private
 * directory next to its final place, chmod-ed, and renamed into place. Every connection is then checked with
 * {@code SO_PEERCRED} against a {@link PeerPolicy} (root or the portal's own user by default); a refused peer
 * gets {@link ControlProtocol#PERMISSION_DENIED} and nothing else.
 *
 * <p>Threading: one platform daemon thread ("portal-control") accepts and serves clients one at a time (a
 * virtual thread would do, but needs JDK 21 and this is JDK 17 bytecode; the work is tiny either way). A
 * client must send its request and read its answer within the timeout, else it is dropped, so a stalled client
 * delays others by at most that. {@link #close()} stops the thread and removes the socket file.
 */
public final class ControlServer implements Closeable {

    /** Default time a client has to send its request and read the answer. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlHandler handler;
    private final PeerPolicy policy;
    private final long timeoutMillis;
    private final Thread thread;

    private ControlServer(Path socket, ServerSocketChannel server, ControlHandler handler, PeerPolicy policy,
            long timeoutMillis) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.policy = policy;
        this.timeoutMillis = timeoutMillis;
        this.thread = new Thread(this::serve, "portal-control");
        thread.setDaemon(true);
    }

    /**
     * Creates the socket at {@code socket} and starts serving.
     *
     * @throws FileAlreadyExistsException if a running portal answers on that path, or the path is not a socket
     * @throws IOException                if the directory or socket cannot be created (permission, path too long)
     */
    public static ControlServer start(Path socket, ControlHandler handler, PeerPolicy policy, long timeoutMillis)
            throws IOException {
        Path target = socket.toAbsolutePath();
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent);
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwx------"));
        }
        removeIfStale(target);
        Path privateDir = Files.createTempDirectory(parent, ".portal-control-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path staging = privateDir.resolve("s");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(staging), 16);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rw-------"));
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(staging);
            throw e;
        } finally {
            Files.deleteIfExists(privateDir);
        }
        ControlServer control = new ControlServer(target, server, handler, policy, timeoutMillis);
        control.thread.start();
        return control;
    }

    /** Deletes a socket file no process listens on (left by a crash); refuses to touch anything else. */
    private static void removeIfStale(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!"socket".equals(fileType(target))) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a socket");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "another portal is running with this control socket");
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            // Connection refused: nobody listens. Safe to replace.
            Files.deleteIfExists(target);
        }
    }

    private static String fileType(Path path) throws IOException {
        Object mode = Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int format = ((Integer) mode) & 0170000;
        return format == 0140000 ? "socket" : "other";
    }

    /** Where the socket is (absolute). */
    public Path socketPath() {
        return socket;
    }

    private void serve() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.warn("control socket {}: accept failed: {}", socket, e.toString());
                sleepQuietly();
                continue;
            }
            try (client) {
                answer(client);
            } catch (IOException | RuntimeException e) {
                // A client that stalls, floods or vanishes costs itself its answer; nothing else.
                LOG.debug("control socket {}: client dropped: {}", socket, e.toString());
            }
        }
    }

    private void answer(SocketChannel client) throws IOException {
        try (TimedIo io = new TimedIo(client, timeoutMillis)) {
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!policy.allows(peer.user())) {
                LOG.debug("control socket {}: refused user {}", socket, peer.user().getName());
                finish(client, io, ControlProtocol.PERMISSION_DENIED);
                return;
            }
            String request;
            try {
                request = new String(io.readLine(ControlProtocol.MAX_REQUEST_BYTES), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                finish(client, io, ControlProtocol.error("bad request: " + e.getMessage()));
                return;
            }
            String answer;
            try {
                answer = handler.handle(request.strip());
            } catch (RuntimeException e) {
                LOG.warn("control request '{}' failed", printable(request), e);
                answer = ControlProtocol.error("internal error: " + e);
            }
            finish(client, io, answer);
        }
    }

    /**
     * Sends the answer and closes our side, then discards what the client may still send (bounded by size and
     * the deadline): closing with unread input would make the kernel reset the connection and the client could
     * lose the answer.
     */
    private static void finish(SocketChannel client, TimedIo io, String answer) throws IOException {
        io.writeAll(answer.getBytes(StandardCharsets.UTF_8));
        client.shutdownOutput();
        io.drainQuietly(64 * 1024);
    }

    /** {@code text} with control characters replaced, shortened for messages. */
    static String printable(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    private static void sleepQuietly() {
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops serving (a client being served is cut off), waits for the thread, and deletes the socket file. */
    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(socket);
    }
}
