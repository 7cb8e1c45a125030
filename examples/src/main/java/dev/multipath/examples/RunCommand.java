package dev.multipath.examples;

import dev.multipath.api.Portal;
import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.PortalConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code portal run -c FILE}: runs a local or remote portal in the foreground until SIGINT or SIGTERM, then
 * closes it (threads stopped, sockets and TUN closed) and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a local or remote portal in the foreground until SIGINT or SIGTERM (needs root or"
                + " CAP_NET_ADMIN for the TUN device).")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
    Path config;

    @Override
    public Integer call() throws ConfigException, InterruptedException {
        // Not static: loggers must be created after --verbose has configured logging (see PortalMain).
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        PortalConfig portalConfig = PortalConfig.load(config);
        ShutdownSignal shutdown = ShutdownSignal.install();
        // Routing (routing = "auto") goes up once the TUN exists and before the paths start, and down before the TUN
        // closes.
        try (Portal portal = PortalAssembly.assemble(portalConfig);
                RoutingCommands.Teardown routing = RoutingCommands.startAuto(portalConfig)) {
            PortalAssembly.start(portal);
            try (OperationsSetup operations = OperationsSetup.start(portal, portalConfig)) {
                log.info("portal up: {}", PortalAssembly.describe(portalConfig));
                if (portalConfig.security().multiPeer()) {
                    dev.multipath.examples.peers.PeerReload.onSighup(config, portal); // [[peer]] changes on SIGHUP
                }
                String signal = shutdown.await();
                log.info("{} received, stopping", signal);
            }
        } finally {
            shutdown.closed();
        }
        log.info("portal stopped");
        return ExitCodes.OK;
    }
}
