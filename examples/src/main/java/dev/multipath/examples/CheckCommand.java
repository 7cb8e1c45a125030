package dev.multipath.examples;

import dev.multipath.api.Role;
import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.ConfigFormatter;
import dev.multipath.examples.config.PortalConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portal check -c FILE}: validates a config file and prints the resolved settings (every default filled
 * in) as TOML on stdout. Needs no privilege and opens no device or socket.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validates a config file and prints the resolved settings (defaults filled in) as TOML.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The config file.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigException {
        PortalConfig portal = PortalConfig.load(config);
        int paths = portal.paths().size();
        String summary = portal.role() == Role.LOCAL
                ? "local portal, " + paths + (paths == 1 ? " path" : " paths")
                : "remote portal";
        spec.commandLine().getOut().print("# " + config + ": OK (" + summary + ")\n"
                + ConfigFormatter.toToml(portal));
        return ExitCodes.OK;
    }
}
