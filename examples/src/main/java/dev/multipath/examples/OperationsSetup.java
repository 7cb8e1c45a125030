package dev.multipath.examples;

import dev.multipath.api.Portal;
import dev.multipath.api.Role;
import dev.multipath.examples.config.OperationsConfig;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.control.ControlRequests;
import dev.multipath.examples.control.ControlServer;
import dev.multipath.examples.control.PeerPolicy;
import dev.multipath.examples.control.PortalInfo;
import dev.multipath.examples.metrics.MetricsServer;
import dev.multipath.examples.metrics.PrometheusText;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts what operators use to watch a running portal: its control socket and, if configured, its metrics
 * endpoint. Failures become {@link CliFailure}s with the right exit code (a control socket that another portal
 * holds, or a metrics address in use, is a runtime failure; a directory the user may not create is a privilege
 * failure). {@link #close()} stops both.
 */
final class OperationsSetup implements Closeable {

    private final ControlServer control;
    private final MetricsServer metrics;

    private OperationsSetup(ControlServer control, MetricsServer metrics) {
        this.control = control;
        this.metrics = metrics;
    }

    /** Starts the control socket and the metrics endpoint of a started portal. */
    static OperationsSetup start(Portal portal, PortalConfig config) {
        Logger log = LoggerFactory.getLogger(OperationsSetup.class);
        OperationsConfig operations = config.operations();
        ControlRequests requests = new ControlRequests(portal::status, info(config, System.nanoTime()),
                System::nanoTime);
        ControlServer control;
        try {
            control = ControlServer.start(operations.controlSocket(), requests, PeerPolicy.rootOrSelf(),
                    ControlServer.DEFAULT_TIMEOUT_MILLIS);
        } catch (FileAlreadyExistsException e) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "control socket " + operations.controlSocket() + ": "
                    + e.getReason(), e);
        } catch (AccessDeniedException e) {
            throw new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, "cannot create control socket "
                    + operations.controlSocket() + ": permission denied on " + e.getFile(), e);
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "cannot create control socket "
                    + operations.controlSocket() + ": " + e.getMessage(), e);
        }
        log.debug("control socket {}", control.socketPath());
        MetricsServer metrics = null;
        if (operations.metricsListen().isPresent()) {
            InetSocketAddress address = operations.metricsListen().get();
            try {
                metrics = MetricsServer.start(address, () -> PrometheusText.render(requests.report()));
            } catch (IOException e) {
                closeQuietly(control);
                throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "cannot serve metrics on "
                        + address.getAddress().getHostAddress() + ":" + address.getPort() + ": " + e.getMessage(), e);
            }
            log.info("metrics on http://{}:{}/metrics", address.getAddress().getHostAddress(),
                    metrics.address().getPort());
        }
        return new OperationsSetup(control, metrics);
    }

    /** What the status shows beyond the engine's counters: mode, peer key, local address and transport per path. */
    static PortalInfo info(PortalConfig config, long startNanos) {
        Map<String, PortalInfo.PathInfo> paths = new LinkedHashMap<>();
        if (config.role() == Role.LOCAL) {
            for (PathConfig path : config.paths()) {
                paths.put(path.name(), new PortalInfo.PathInfo(path.local().getHostAddress(),
                        path.transport().configName()));
            }
        }
        // A remote portal serving many peers has no single peer key: its status shows a block per peer instead.
        Optional<String> peer = config.security().authenticated() && !config.security().multiPeer()
                ? Optional.of(dev.multipath.auth.StaticKeys.encode(config.security().peerPublicKey()))
                : Optional.empty();
        return new PortalInfo(Optional.of(config.security().modeName()), peer, startNanos, paths);
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        closeQuietly(control);
    }

    private static void closeQuietly(ControlServer control) {
        try {
            control.close();
        } catch (IOException e) {
            LoggerFactory.getLogger(OperationsSetup.class).warn("control socket {}: {}", control.socketPath(),
                    e.toString());
        }
    }
}
