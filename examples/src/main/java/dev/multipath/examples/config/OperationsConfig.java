package dev.multipath.examples.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a running portal is operated: its control socket and its optional metrics endpoint.
 *
 * @param controlSocket  the AF_UNIX control socket ({@code portal.control_socket}, default
 *                       {@code /run/multipath/<tun>.sock}); absolute
 * @param metricsListen  where to serve Prometheus metrics over HTTP ({@code portal.metrics_listen}); empty: off
 */
public record OperationsConfig(Path controlSocket, Optional<InetSocketAddress> metricsListen) {

    /** The directory of the default control sockets. */
    public static final Path DEFAULT_CONTROL_DIRECTORY = Path.of("/run/multipath");

    /** The default control socket of the portal on TUN {@code tun}. */
    public static Path defaultControlSocket(String tun) {
        return DEFAULT_CONTROL_DIRECTORY.resolve(tun + ".sock");
    }
}
