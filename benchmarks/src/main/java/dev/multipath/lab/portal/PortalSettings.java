package dev.multipath.lab.portal;

import java.util.List;
import java.util.Set;

/**
 * What the lab writes into the two portals' configs beyond the topology. Immutable.
 *
 * @param transport      every path's transport: tcp, udp or rawip
 * @param scheduler      the {@code scheduler} key of both portals; null = not written (the portal's "auto")
 * @param metrics        each path's {@code metric} (index 0 = link 1); empty = not written (all 0)
 * @param redundantPorts the {@code [redundant]} table's {@code ports} on both portals; empty = no table
 */
public record PortalSettings(String transport, String scheduler, List<Integer> metrics, Set<Integer> redundantPorts) {

    public PortalSettings {
        metrics = List.copyOf(metrics);
        redundantPorts = Set.copyOf(redundantPorts);
    }

    /** Only a transport: the portals' defaults for everything else. */
    public static PortalSettings of(String transport) {
        return new PortalSettings(transport, null, List.of(), Set.of());
    }

    public PortalSettings withScheduler(String s) {
        return new PortalSettings(transport, s, metrics, redundantPorts);
    }

    /** Path metrics, link 1 first (a higher metric is used only while no lower one is alive). */
    public PortalSettings withMetrics(List<Integer> m) {
        return new PortalSettings(transport, scheduler, m, redundantPorts);
    }

    /** Traffic to or from these ports goes on every path ({@code [redundant] ports}). */
    public PortalSettings withRedundantPorts(Set<Integer> ports) {
        return new PortalSettings(transport, scheduler, metrics, ports);
    }
}
