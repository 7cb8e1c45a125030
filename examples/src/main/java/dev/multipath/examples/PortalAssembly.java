package dev.multipath.examples;

import dev.multipath.api.PacketSource;
import dev.multipath.api.Portal;
import dev.multipath.api.Role;
import dev.multipath.api.Transport;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.TransportKind;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Portal} from a validated config: opens the TUN, makes one connecting transport per path (local
 * portal, file order) or the listening transports (remote portal: TCP, and UDP on the same address and port when
 * this build has it). The returned portal owns all of them; if assembly fails half-way, what was opened is
 * closed here.
 */
final class PortalAssembly {

    private PortalAssembly() {
    }

    /** A built, not yet started portal. Throws {@link CliFailure} with the right exit code on failure. */
    static Portal assemble(PortalConfig config) {
        List<Closeable> opened = new ArrayList<>();
        try {
            PacketSource tun = TunOpener.open(config);
            opened.add(tun);
            Portal.Builder builder = Portal.builder().role(config.role()).packetSource(tun);
            if (config.role() == Role.LOCAL) {
                for (PathConfig path : config.paths()) {
                    Transport transport = TransportFactory.connect(path);
                    opened.add(transport);
                    builder.path(path.name(), path.metric(), transport);
                }
            } else {
                for (TransportKind kind : List.of(TransportKind.TCP, TransportKind.UDP)) {
                    TransportFactory.listen(kind, config.listen().orElseThrow()).ifPresent(transport -> {
                        opened.add(transport);
                        builder.listener(transport);
                    });
                }
            }
            return builder.build();
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** Starts the portal; on failure closes it and throws {@link CliFailure} (runtime failure). */
    static void start(Portal portal) {
        try {
            portal.start();
        } catch (IOException e) {
            portal.close();
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, e.getMessage(), e);
        } catch (RuntimeException e) {
            portal.close();
            throw e;
        }
    }

    /** The "portal up" log line: role, TUN, and the paths or listen address. */
    static String describe(PortalConfig config) {
        StringBuilder line = new StringBuilder();
        line.append(config.role() == Role.LOCAL ? "local" : "remote").append(" portal on ").append(config.tun())
                .append(" (mtu ").append(config.mtu());
        config.address().ifPresent(a -> line.append(", ").append(a));
        line.append(')');
        if (config.role() == Role.LOCAL) {
            line.append(", paths:");
            for (PathConfig path : config.paths()) {
                line.append(' ').append(path.name()).append(" [").append(path.transport().configName()).append(' ')
                        .append(path.local().getHostAddress()).append(" -> ").append(path.remote().getAddress()
                                .getHostAddress()).append(':').append(path.remote().getPort()).append(" metric ")
                        .append(path.metric()).append(']');
            }
        } else {
            line.append(", listening on ").append(config.listen().orElseThrow().getAddress().getHostAddress())
                    .append(':').append(config.listen().orElseThrow().getPort());
        }
        return line.toString();
    }

    private static void closeAll(List<Closeable> opened, RuntimeException failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
