package dev.multipath.api;

import dev.multipath.stats.PathStats;
import java.util.List;
import java.util.Map;

/**
 * A point-in-time view of a running portal, for status output and metrics.
 *
 * @param role             which end this portal is
 * @param sourceName       the packet source's name (TUN interface)
 * @param packetsFromSource IP packets read from the packet source
 * @param packetsToSource  IP packets written to the packet source
 * @param sessionEstablished whether the authenticator has a session
 * @param paths            every known path
 * @param drops            non-zero drop counters by reason
 */
public record PortalStatus(Role role, String sourceName, long packetsFromSource, long packetsToSource,
        boolean sessionEstablished, List<PathStats.Snapshot> paths, Map<DropReason, Long> drops) {
}
