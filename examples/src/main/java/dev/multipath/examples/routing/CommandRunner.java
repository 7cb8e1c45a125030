package dev.multipath.examples.routing;

/**
 * Runs host commands. The real one starts processes ({@link ProcessCommandRunner}); tests use a recording fake, so
 * everything above it is tested without root.
 */
public interface CommandRunner {

    /**
     * Runs the command and returns its standard output.
     *
     * @throws RoutingException if it cannot start, times out or exits non-zero (the message holds its error output)
     */
    String run(HostCommand command) throws RoutingException;
}
