package dev.multipath.examples.config;

import java.util.Set;

/**
 * How traffic is carried: the congestion controller of datagram paths ({@code congestion_control} under
 * {@code [portal]}), whether it searches for a path's capacity with padding ({@code capacity_search}), and which
 * packets go on every path at once (the {@code [redundant]} table).
 *
 * @param congestionControl "bbr" (default) or "cubic"
 * @param redundantProtocols IP protocol numbers sent on every path ({@code protocols = ["udp", 17]})
 * @param redundantPorts     TCP/UDP ports (either end) sent on every path ({@code ports = [5060]})
 * @param redundantDscp      DSCP values sent on every path ({@code dscp = [46]})
 * @param capacitySearch     whether a path still searching for its capacity is padded while idle
 *                           ({@code capacity_search} under {@code [portal]}, default true; decision 41)
 */
public record TrafficConfig(String congestionControl, Set<Integer> redundantProtocols, Set<Integer> redundantPorts,
        Set<Integer> redundantDscp, boolean capacitySearch) {

    public static final TrafficConfig DEFAULT = new TrafficConfig("bbr", Set.of(), Set.of(), Set.of(), true);

    public TrafficConfig {
        redundantProtocols = Set.copyOf(redundantProtocols);
        redundantPorts = Set.copyOf(redundantPorts);
        redundantDscp = Set.copyOf(redundantDscp);
    }

    /** Whether any traffic is sent redundantly. */
    public boolean redundant() {
        return !redundantProtocols.isEmpty() || !redundantPorts.isEmpty() || !redundantDscp.isEmpty();
    }
}
