package dev.multipath.examples;

import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.OperationsConfig;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.control.ControlClient;
import dev.multipath.examples.control.ControlException;
import dev.multipath.examples.control.ControlProtocol;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code portal status [-c FILE | --socket PATH] [--json]}: asks running portals over their control sockets for
 * their status and prints it, like {@code wg show}. Without -c or --socket, every socket in
 * {@code /run/multipath} is asked, in name order.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows the status of running portals (session, paths, drops), read from their control"
                + " sockets. Needs root or the portal's own user.")
final class StatusCommand implements Callable<Integer> {

    /** How long a portal has to answer. */
    static final long TIMEOUT_MILLIS = 5000;

    static final class Target {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE",
                description = "The portal's config file (its control_socket, or the default for its tun).")
        Path config;

        @Option(names = "--socket", paramLabel = "PATH", description = "The control socket itself.")
        Path socket;
    }

    @ArgGroup(exclusive = true)
    Target target;

    @Option(names = "--json", description = "Print JSON (one object; an array when several portals answer).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws ConfigException {
        List<Path> sockets = sockets();
        String request = json ? ControlProtocol.STATUS_JSON : ControlProtocol.STATUS;
        List<String> answers = new ArrayList<>();
        for (Path socket : sockets) {
            try {
                answers.add(ControlClient.request(socket, request, TIMEOUT_MILLIS));
            } catch (ControlException e) {
                throw new CliFailure(e.kind() == ControlException.Kind.PERMISSION_DENIED
                        ? ExitCodes.NO_PRIVILEGE_OR_TUN : ExitCodes.RUNTIME_FAILURE, e.getMessage());
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json && answers.size() > 1) {
            out.print("[\n" + String.join(",\n", answers.stream().map(String::strip).toList()) + "\n]\n");
        } else {
            out.print(String.join("\n", answers));
        }
        return ExitCodes.OK;
    }

    private List<Path> sockets() throws ConfigException {
        if (target != null && target.socket != null) {
            return List.of(target.socket);
        }
        if (target != null && target.config != null) {
            return List.of(PortalConfig.load(target.config).operations().controlSocket());
        }
        Path directory = OperationsConfig.DEFAULT_CONTROL_DIRECTORY;
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.sock")) {
            entries.forEach(found::add);
        } catch (NoSuchFileException e) {
            // No portal ever ran here: reported below.
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, "cannot list " + directory
                    + ": permission denied (run as root or as the portals' user)");
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "cannot list " + directory + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
            throw new CliFailure(ExitCodes.RUNTIME_FAILURE, "no portal running (no control socket in " + directory
                    + "); give -c FILE or --socket PATH for a portal with its own control_socket");
        }
        found.sort(null);
        return found;
    }
}
