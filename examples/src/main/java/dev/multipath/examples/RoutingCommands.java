package dev.multipath.examples;

import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.routing.CommandRunner;
import dev.multipath.examples.routing.HostFacts;
import dev.multipath.examples.routing.HostProbe;
import dev.multipath.examples.routing.ProcessCommandRunner;
import dev.multipath.examples.routing.RoutingException;
import dev.multipath.examples.routing.RoutingPlan;
import dev.multipath.examples.routing.RoutingPlanner;
import dev.multipath.examples.routing.RoutingSession;
import dev.multipath.examples.routing.RoutingStateFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portal up} and {@code portal down} (like wg-quick), and the {@code routing = "auto"} set-up of
 * {@code portal run}. The plan is computed by {@link RoutingPlanner}; what was added is recorded next to the control
 * socket ({@code /run/multipath/TUN.routing}) so that down removes exactly that.
 */
final class RoutingCommands {

    private RoutingCommands() {
    }

    /** What {@link #startAuto} returns: closing removes the routing, without checked exceptions. */
    interface Teardown extends AutoCloseable {
        @Override
        void close();
    }

    /** The state file of a config's portal. */
    static RoutingStateFile stateFile(PortalConfig config) {
        return RoutingStateFile.forPortal(config.operations().controlSocket(), config.tun());
    }

    /** Probes the host and plans; a failure ends the command with exit code 1 and the reason. */
    static RoutingPlan plan(PortalConfig config, CommandRunner runner, boolean createTun) {
        try {
            HostFacts facts = HostProbe.probe(config, runner);
            return RoutingPlanner.plan(config, facts, createTun);
        } catch (RoutingException e) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, e.getMessage(), e);
        }
    }

    /**
     * For {@code portal run}: applies the plan when {@code routing = "auto"} (the TUN is already open), else does
     * nothing. Closing the result removes what was added.
     */
    static Teardown startAuto(PortalConfig config) {
        if (!config.routing().auto()) {
            return () -> { };
        }
        Logger log = LoggerFactory.getLogger(RoutingCommands.class);
        CommandRunner runner = new ProcessCommandRunner();
        RoutingPlan plan = plan(config, runner, false);
        try {
            RoutingSession session = RoutingSession.apply(plan, runner, stateFile(config),
                    line -> log.info("routing: {}", line));
            log.info("routing up ({} changes; removed on exit)", plan.downCommands().size());
            return () -> {
                List<String> failures = session.teardown();
                failures.forEach(f -> log.warn("routing: not removed: {}", f));
                log.info("routing removed{}", failures.isEmpty() ? "" : " except " + failures.size() + " change(s)");
            };
        } catch (RoutingException e) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "routing: " + e.getMessage(), e);
        }
    }

    /** {@code portal up -c FILE [--dry-run]}. */
    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Sets up the routing of a portal like wg-quick: creates the TUN device (persistent) with its"
                    + " addresses and MTU, per-path source routing, the client routes, forwarding and NAT. Records what"
                    + " it adds; 'portal down' removes exactly that. Then start the portal with 'portal run'.")
    static final class Up implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
        Path config;

        @Option(names = "--dry-run", description = "Print the commands (and what was found on the host); run none.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws ConfigException {
            PortalConfig portalConfig = PortalConfig.load(config);
            PrintWriter out = spec.commandLine().getOut();
            CommandRunner runner = new ProcessCommandRunner();
            RoutingPlan plan = plan(portalConfig, runner, true);
            if (dryRun) {
                out.print(plan.render());
                out.println("# portal down would then run:");
                plan.downCommands().forEach(c -> out.println("#   " + c));
                return ExitCodes.OK;
            }
            RoutingStateFile state = stateFile(portalConfig);
            try {
                RoutingSession.apply(plan, runner, state, out::println);
            } catch (RoutingException e) {
                throw new CliFailure(ExitCodes.RUNTIME_FAILURE, e.getMessage(), e);
            }
            out.println("# up: " + plan.downCommands().size() + " change(s) recorded in " + state.path()
                    + "; 'portal down -c " + config + "' removes them");
            return ExitCodes.OK;
        }
    }

    /** {@code portal down -c FILE [--dry-run]}. */
    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Removes what 'portal up' (or 'portal run' with routing = \"auto\" that did not exit"
                    + " cleanly) added, as recorded, newest first; never anything else.")
    static final class Down implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
        Path config;

        @Option(names = "--dry-run", description = "Print the commands; run none.")
        boolean dryRun;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws ConfigException {
            PortalConfig portalConfig = PortalConfig.load(config);
            PrintWriter out = spec.commandLine().getOut();
            RoutingStateFile state = stateFile(portalConfig);
            if (!state.exists()) {
                if (dryRun) {
                    out.println("# not up (no " + state.path() + "); after 'portal up' this would run:");
                    plan(portalConfig, new ProcessCommandRunner(), true).downCommands().forEach(out::println);
                    return ExitCodes.OK;
                }
                throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "routing of " + portalConfig.tun() + " is not up (no "
                        + state.path() + ")");
            }
            List<String> failures;
            try {
                failures = RoutingSession.teardownRecorded(state, new ProcessCommandRunner(), out::println, dryRun);
            } catch (RoutingException e) {
                throw new CliFailure(ExitCodes.RUNTIME_FAILURE, e.getMessage(), e);
            }
            if (!failures.isEmpty()) {
                throw new CliFailure(ExitCodes.RUNTIME_FAILURE, failures.size() + " change(s) not removed (kept in "
                        + state.path() + " for another 'portal down'): " + String.join("; ", failures));
            }
            return ExitCodes.OK;
        }
    }
}
