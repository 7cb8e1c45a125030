package dev.multipath.examples.config;

import java.util.Set;

/**
 * How traffic is carried: the congestion controller of datagram paths ({@code congestion_control} under
 * {@code [portal]}) and which packets go on every path at once (the {@code [redundant]} table).
 *
 * @param congestionControl "bbr" (default) or "cubic"
 * @param redundantProtocols IP protocol numbers sent on every path ({@code protocols = ["udp", 17]})
 * @param redundantPorts     TCP/UDP ports (either end) sent on every path ({@code ports = [5060]})
 * @param redundantDscp      DSCP values sent on every path ({@code dscp = [46]})
 */
public record TrafficConfig(String congestionControl, Set<Integer> redundantProtocols, Set<Integer> redundantPorts,
        Set<Integer> redundantDscp) {

    public static final TrafficConfig DEFAULT = new TrafficConfig("bbr", Set.of(), Set.of(), Set.of());

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
