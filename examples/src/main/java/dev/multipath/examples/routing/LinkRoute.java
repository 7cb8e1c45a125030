package dev.multipath.examples.routing;

import java.net.InetAddress;
import java.util.Optional;

/**
 * How one path's traffic leaves the host, as found by {@code ip route get REMOTE from LOCAL}.
 *
 * @param gateway     the next hop ({@code via}); empty when the remote endpoint is on the link itself
 * @param device      the outgoing interface ({@code dev})
 * @param localOwner  the interface that holds the path's local address ({@code ip -o address show to LOCAL}), if
 *                    found; when it differs from {@code device} the kernel's main table sends this path out of the
 *                    wrong link and the config must name the path's gateway and interface
 */
public record LinkRoute(Optional<InetAddress> gateway, String device, Optional<String> localOwner) {
}
