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
 */
public record HostFacts(Map<String, LinkRoute> pathRoutes, Optional<String> defaultInterface, boolean ipv4Forwarding,
        boolean ipv6Forwarding, boolean tunExists) {

    public HostFacts {
        pathRoutes = Map.copyOf(pathRoutes);
    }
}
