package dev.multipath.examples.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Sends one request to a portal's control socket and returns the answer. Failures come back as a
 * {@link ControlException} whose {@link ControlException.Kind} tells "no portal there" from "not allowed" from
 * "the portal answered with an error", each with a message fit for the user.
 *
 * <p>Stateless; safe to use from any thread.
 */
public final class ControlClient {

    private ControlClient() {
    }

    /** Sends {@code request} (one line, without '\n') and returns the answer; fails after {@code timeoutMillis}. */
    public static String request(Path socket, String request, long timeoutMillis) throws ControlException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(socket.getParent()) && !Files.isReadable(socket.getParent())) {
                throw new ControlException(ControlException.Kind.PERMISSION_DENIED, "cannot look into "
                        + socket.getParent() + ": permission denied (run as root or as the portal's user)");
            }
            throw new ControlException(ControlException.Kind.NOT_RUNNING, "no portal running at " + socket
                    + " (no such socket)");
        }
        String answer;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                TimedIo io = new TimedIo(channel, timeoutMillis)) {
            io.writeAll((request + "\n").getBytes(StandardCharsets.UTF_8));
            answer = new String(io.readAll(ControlProtocol.MAX_ANSWER_BYTES), StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw denied(socket);
        } catch (ConnectException e) {
            throw new ControlException(ControlException.Kind.NOT_RUNNING, "no portal running at " + socket
                    + " (connection refused: stale socket)");
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("ermission denied")) {
                throw denied(socket);
            }
            throw new ControlException(ControlException.Kind.FAILED, "control socket " + socket + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ControlException(ControlException.Kind.FAILED, "control socket " + socket + ": "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        if (answer.equals(ControlProtocol.PERMISSION_DENIED)) {
            throw new ControlException(ControlException.Kind.PERMISSION_DENIED, "portal at " + socket + " refused"
                    + " this user: " + answer.substring(ControlProtocol.ERROR_PREFIX.length()).strip());
        }
        if (answer.startsWith(ControlProtocol.ERROR_PREFIX)) {
            throw new ControlException(ControlException.Kind.FAILED, "portal at " + socket + " answered: "
                    + answer.substring(ControlProtocol.ERROR_PREFIX.length()).strip());
        }
        if (answer.isEmpty()) {
            throw new ControlException(ControlException.Kind.FAILED, "portal at " + socket + " closed the"
                    + " connection without an answer");
        }
        return answer;
    }

    private static ControlException denied(Path socket) {
        return new ControlException(ControlException.Kind.PERMISSION_DENIED, "cannot connect to " + socket
                + ": permission denied (run as root or as the portal's user)");
    }
}
