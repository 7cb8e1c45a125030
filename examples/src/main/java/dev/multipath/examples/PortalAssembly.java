package dev.multipath.examples;

import dev.multipath.api.Authenticator;
import dev.multipath.api.PacketSource;
import dev.multipath.api.Portal;
import dev.multipath.api.RedundancyPolicy;
import dev.multipath.api.Role;
import dev.multipath.api.Scheduler;
import dev.multipath.api.Transport;
import dev.multipath.auth.NoiseIkAuthenticator;
import dev.multipath.auth.PassThroughAuthenticator;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.SecurityConfig;
import dev.multipath.examples.config.TrafficConfig;
import dev.multipath.examples.config.TransportKind;
import dev.multipath.sched.EarliestArrivalScheduler;
import dev.multipath.sched.FlowPinningScheduler;
import dev.multipath.sched.GreedyScheduler;
import dev.multipath.sched.WeightedRoundRobinScheduler;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
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
            TrafficConfig traffic = config.traffic();
            Portal.Builder builder = Portal.builder().role(config.role()).packetSource(tun)
                    .scheduler(scheduler(config))
                    .congestionControl(traffic.congestionControl())
                    .capacitySearch(traffic.capacitySearch())
                    .mssClamp(config.mssClamp() && !"off".equals(System.getenv("MP_MSS_CLAMP")))
                    .redundancy(new RedundancyPolicy(traffic.redundantProtocols(), traffic.redundantPorts(),
                            traffic.redundantDscp()));
            SecurityConfig sec = config.security();
            if (sec.multiPeer()) {
                // Cryptokey routing: one session per [[peer]], each with its own scheduler.
                builder.peers(sec.privateKey(), sec.authSettings())
                        .schedulerFactory(() -> scheduler(config));
                sec.peers().forEach(builder::peer);
            } else {
                builder.authenticator(authenticator(config));
            }
            if (config.role() == Role.LOCAL) {
                for (PathConfig path : config.paths()) {
                    Transport transport = TransportFactory.connect(path);
                    opened.add(transport);
                    builder.path(path.name(), path.metric(), path.overflow(), transport);
                }
            } else {
                for (TransportKind kind : config.listenTransports()) {
                    for (Transport transport : TransportFactory.listen(kind, config.listen().orElseThrow(),
                            config.mtu())) {
                        opened.add(transport);
                        builder.listener(transport);
                    }
                }
            }
            return builder.build();
        } catch (RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** The configured authenticator: Noise IK with the config's keys, or pass-through for mode = "none". */
    static Authenticator authenticator(PortalConfig config) {
        SecurityConfig sec = config.security();
        if (!sec.authenticated()) {
            return new PassThroughAuthenticator();
        }
        return new NoiseIkAuthenticator(config.role(), sec.privateKey(), sec.peerPublicKey(), sec.authSettings(),
                Clock.systemUTC(), System::nanoTime);
    }

    /**
     * The configured scheduler. On a local portal "auto" is earliest-arrival when every path's transport measures
     * its rate and delay (udp, rawip), and the greedy shared queue when a TCP path is present (TCP hides both inside
     * the kernel). A remote portal does not know its paths' transports in advance: "auto" is greedy there (measured:
     * earliest-arrival over TCP paths carried one link's worth, docs/decisions.md).
     */
    static Scheduler scheduler(PortalConfig config) {
        String name = config.scheduler();
        if (name.equals("auto")) {
            boolean allMeasured = config.role() == Role.LOCAL
                    && config.paths().stream().allMatch(p -> p.transport() != TransportKind.TCP);
            name = allMeasured ? "earliest-arrival" : "greedy";
        }
        switch (name) {
            case "greedy":
                return new GreedyScheduler();
            case "weighted-round-robin":
                return new WeightedRoundRobinScheduler();
            case "flow":
                return new FlowPinningScheduler();
            default:
                return new EarliestArrivalScheduler();
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
