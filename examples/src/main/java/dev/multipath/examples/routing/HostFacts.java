package dev.multipath.examples.routing;

import java.util.Map;
import java.util.Optional;

/**
 * What {@link HostProbe} found on the host before {@code up}: the input of {@link RoutingPlanner} besides the config,
 * so that planning stays pure (tests build facts by hand). Immutable.
 *
 * @param pathRoutes        per path name, the route found for paths whose config lacks {@code gateway} or
 *                          {@code interface}
 * @param defaultInterface  the interface of the default route (IPv4, else IPv6), if any
 * @param ipv4Forwarding    {@code net.ipv4.ip_forward} is already 1 (then up leaves it, and down does not clear it)
 * @param ipv6Forwarding    {@code net.ipv6.conf.all.forwarding} is already 1
 * @param tunExists         an interface with the TUN's name exists (then up neither creates nor deletes it)
 * @param raDefaultRoutes   interfaces whose IPv6 default route was learned from router advertisements
 *                          ({@code proto ra}), with their {@code accept_ra} setting: turning IPv6 forwarding on makes
 *                          the kernel ignore RAs there unless {@code accept_ra} is 2, and the route then expires
 */
public record HostFacts(Map<String, LinkRoute> pathRoutes, Optional<String> defaultInterface, boolean ipv4Forwarding,
        boolean ipv6Forwarding, boolean tunExists, Map<String, Integer> raDefaultRoutes) {

    public HostFacts {
        pathRoutes = Map.copyOf(pathRoutes);
        raDefaultRoutes = Map.copyOf(raDefaultRoutes);
    }

    /** Facts of a host with no IPv6 default route learned from router advertisements. */
    public HostFacts(Map<String, LinkRoute> pathRoutes, Optional<String> defaultInterface, boolean ipv4Forwarding,
            boolean ipv6Forwarding, boolean tunExists) {
        this(pathRoutes, defaultInterface, ipv4Forwarding, ipv6Forwarding, tunExists, Map.of());
    }
}
