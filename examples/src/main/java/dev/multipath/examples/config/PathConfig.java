package dev.multipath.examples.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * One {@code [[path]]} table of a local portal: one internet connection.
 *
 * @param name      unique name of the path, for logs and status ("dsl")
 * @param transport how frames are carried
 * @param local     source address this path sends from (policy routing picks the link by it)
 * @param remote    the remote portal's endpoint for this path (an address literal, never a resolved name)
 * @param metric    0..255; lower is preferred, a higher-metric path is used only when no lower one is usable
 * @param gateway   next hop of this path's link ({@code gateway}); empty: found with {@code ip route get} at up time
 * @param linkInterface the interface of this path's link ({@code interface}); empty: found at up time
 * @param overflow  ({@code overflow = true}) this higher-metric path also takes traffic while the lower tier is
 *                  saturated
 * @param mtu       the MTU of this path's link ({@code mtu}, default {@value PathMtu#DEFAULT_LINK_MTU}): the largest
 *                  outer packet it carries unfragmented (1492 for PPPoE, 1280 for some mobile links)
 */
public record PathConfig(String name, TransportKind transport, InetAddress local, InetSocketAddress remote,
        int metric, Optional<InetAddress> gateway, Optional<String> linkInterface, boolean overflow, int mtu) {

    /** A path that does not overflow, on a link of the default MTU. */
    public PathConfig(String name, TransportKind transport, InetAddress local, InetSocketAddress remote, int metric,
            Optional<InetAddress> gateway, Optional<String> linkInterface) {
        this(name, transport, local, remote, metric, gateway, linkInterface, false, PathMtu.DEFAULT_LINK_MTU);
    }

    /** A path without routing keys (gateway and interface found at up time). */
    public PathConfig(String name, TransportKind transport, InetAddress local, InetSocketAddress remote, int metric) {
        this(name, transport, local, remote, metric, Optional.empty(), Optional.empty());
    }
}
