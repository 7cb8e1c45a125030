package dev.multipath.examples.control;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashSet;
import java.util.Set;

/**
 * Decides which local users may talk to a control socket, given the peer's user from {@code SO_PEERCRED}
 * (the kernel's record of who connected, which the client cannot forge). The file permissions (0600 socket in a
 * 0700 directory) already keep others out; this is the second lock, for sockets placed in a shared directory.
 *
 * <p>Implementations must be thread-safe and fast; they run on the control thread for every connection.
 */
@FunctionalInterface
public interface PeerPolicy {

    /** Whether {@code peer} may use the socket. */
    boolean allows(UserPrincipal peer);

    /**
     * Root, and the user this process runs as (the owner of {@code /proc/self}, that is its effective uid).
     * Principals compare by uid and name, which is how the JDK builds both the peer's and the file owner's.
     */
    static PeerPolicy rootOrSelf() {
        Set<UserPrincipal> allowed = new HashSet<>();
        try {
            allowed.add(Files.getOwner(Path.of("/proc/self")));
        } catch (IOException | UnsupportedOperationException e) {
            // No /proc: only root below.
        }
        try {
            allowed.add(FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root"));
        } catch (IOException | UnsupportedOperationException e) {
            // No passwd entry for root (minimal container): the owner of /proc/self is then the only user.
        }
        Set<UserPrincipal> frozen = Set.copyOf(allowed);
        return frozen::contains;
    }
}
