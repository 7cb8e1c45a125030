package dev.multipath.examples.control;

import java.util.Map;
import java.util.Optional;

/**
 * What the status shows that the engine does not know: facts from the config and the process. Immutable.
 *
 * @param mode         the security mode ("authenticate", "encrypt", "none"), if known
 * @param peer         the peer's identity (its public key), if known
 * @param startNanos   {@link System#nanoTime()} when the portal started, for the uptime
 * @param paths        per configured path name: local address and transport (empty on a remote portal, whose
 *                     paths arrive from the network)
 */
public record PortalInfo(Optional<String> mode, Optional<String> peer, long startNanos, Map<String, PathInfo> paths) {

    public PortalInfo {
        paths = Map.copyOf(paths);
    }

    /**
     * One configured path.
     *
     * @param local     the local address it sends from
     * @param transport "tcp", "udp" or "rawip"
     */
    public record PathInfo(String local, String transport) {
    }
}
