package dev.multipath.examples.routing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link HostCommand} as a process (no shell), looking the program up in the sbin directories first since
 * {@code ip}, {@code sysctl} and {@code nft} live there and a service's PATH may lack them. Blocking; any thread.
 */
public final class ProcessCommandRunner implements CommandRunner {

    private static final String[] DIRECTORIES = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};
    private static final long TIMEOUT_SECONDS = 10;

    @Override
    public String run(HostCommand command) throws RoutingException {
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, locate(command.program()));
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new RoutingException("cannot run '" + command + "': " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            // Output is small (one route, one rule); read it all before waiting so a full pipe cannot block the child.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RoutingException("'" + command + "' did not finish in " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                String why = output.strip().replace('\n', ' ');
                throw new RoutingException("'" + command + "' failed: "
                        + (why.isEmpty() ? "exit code " + process.exitValue() : why));
            }
            return output;
        } catch (IOException e) {
            process.destroyForcibly();
            throw new RoutingException("'" + command + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RoutingException("'" + command + "' interrupted", e);
        }
    }

    private static String locate(String program) {
        for (String directory : DIRECTORIES) {
            File file = new File(directory, program);
            if (file.canExecute()) {
                return file.getPath();
            }
        }
        return program;
    }
}
