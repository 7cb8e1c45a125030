package dev.multipath.examples.config;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads {@code portal.control_socket} and {@code portal.metrics_listen} (see {@link OperationsConfig}). */
final class OperationsConfigParser {

    /** sun_path holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    private OperationsConfigParser() {
    }

    /** Reads the keys (call before the [portal] table rejects unknown keys). */
    static OperationsConfig read(TomlTable portal, String tun) throws ConfigException {
        Path socket = OperationsConfig.defaultControlSocket(tun);
        Optional<String> socketText = portal.optionalString("control_socket");
        if (socketText.isPresent()) {
            String text = socketText.get();
            try {
                socket = Path.of(text);
            } catch (InvalidPathException e) {
                throw portal.error("control_socket", "expected an absolute file path, got '" + text + "'");
            }
            if (!socket.isAbsolute() || socket.getFileName() == null || text.endsWith("/")) {
                throw portal.error("control_socket", "expected an absolute file path such as"
                        + " \"/run/multipath/" + tun + ".sock\", got '" + text + "'");
            }
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw portal.error("control_socket", "path longer than " + MAX_SOCKET_PATH_BYTES
                        + " bytes (the limit of a Unix socket address)");
            }
        }
        Optional<InetSocketAddress> metrics = Optional.empty();
        Optional<String> metricsText = portal.optionalString("metrics_listen");
        if (metricsText.isPresent()) {
            try {
                metrics = Optional.of(IpLiterals.parseEndpoint(metricsText.get(), false));
            } catch (IllegalArgumentException e) {
                throw portal.error("metrics_listen", "expected address:port such as \"127.0.0.1:9469\" (host names"
                        + " are not resolved; IPv6 as [address]:port), got '" + metricsText.get() + "'");
            }
        }
        return new OperationsConfig(socket, metrics);
    }
}
