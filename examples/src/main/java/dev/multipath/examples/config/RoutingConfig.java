package dev.multipath.examples.config;

import java.util.List;
import java.util.Optional;

/**
 * The routing keys of {@code [portal]}: what {@code portal up} (or {@code run} with {@code routing = "auto"}) sets up
 * around the TUN device. Immutable.
 *
 * @param auto            {@code routing = "auto"}: {@code portal run} applies the routing plan after opening the TUN and
 *                        removes it on exit; {@code "off"} (default) leaves routing to {@code portal up} or the admin
 * @param routes          {@code routes}: on a local portal, the destinations whose traffic is sent into the tunnel
 *                        ("0.0.0.0/0", "::/0" for everything); on a remote portal, the networks behind the local portal
 *                        (its clients' addresses), routed back into the tunnel. Network addresses (host bits zero)
 * @param nat             {@code nat}: on a remote portal, masquerade tunnel traffic leaving {@code public_interface} (the
 *                        clients appear with the remote portal's public address); on a local portal, masquerade client
 *                        traffic entering the tunnel (the remote portal then needs no {@code routes} back)
 * @param publicInterface {@code public_interface}: the remote portal's internet interface; empty means the interface of
 *                        its default route, found at up time
 * @param table           {@code routing_table}: first routing table number and rule priority used (default
 *                        {@value #DEFAULT_TABLE}); the client table is this one, path N uses {@code table + N}
 */
public record RoutingConfig(boolean auto, List<Cidr> routes, boolean nat, Optional<String> publicInterface,
        int table) {

    /** Routing table number (and rule priority) used when the file does not set {@code routing_table}. */
    public static final int DEFAULT_TABLE = 7800;

    /** No routing keys at all: nothing is set up. */
    public static final RoutingConfig NONE = new RoutingConfig(false, List.of(), false, Optional.empty(), DEFAULT_TABLE);

    public RoutingConfig {
        routes = List.copyOf(routes);
    }
}
