package dev.multipath.examples.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One {@code [[path]]} table of a local portal: one internet connection.
 *
 * @param name      unique name of the path, for logs and status ("dsl")
 * @param transport how frames are carried
 * @param local     source address this path sends from (policy routing picks the link by it)
 * @param remote    the remote portal's endpoint for this path (an address literal, never a resolved name)
 * @param metric    0..255; lower is preferred, a higher-metric path is used only when no lower one is usable
 */
public record PathConfig(String name, TransportKind transport, InetAddress local, InetSocketAddress remote,
        int metric) {
}
