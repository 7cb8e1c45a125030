package dev.multipath.examples.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies a {@link RoutingPlan} and later removes exactly what it added. Every step that succeeds has its undo
 * recorded (in memory and in the {@link RoutingStateFile}) before the next one runs; a step that fails rolls back the
 * ones before it. Removal runs the recorded undos newest first, carries on past failures (a route through a link that
 * went down is already gone) and keeps only the failed ones on record, so a second {@code portal down} retries those.
 *
 * <p>Threading: one thread applies; {@link #close} may run on another (shutdown) but not concurrently with apply.
 */
public final class RoutingSession implements AutoCloseable {

    private final CommandRunner runner;
    private final RoutingStateFile state;
    private final Consumer<String> log;
    private final List<HostCommand> applied = new ArrayList<>();
    private boolean closed;

    private RoutingSession(CommandRunner runner, RoutingStateFile state, Consumer<String> log) {
        this.runner = runner;
        this.state = state;
        this.log = log;
    }

    /**
     * Runs every step of {@code plan}, logging each command.
     *
     * @throws RoutingException if routing is already up (a state file exists: nothing is run), or a step fails (the
     *                          steps before it have been undone; the message names the failed command)
     */
    public static RoutingSession apply(RoutingPlan plan, CommandRunner runner, RoutingStateFile state,
            Consumer<String> log) throws RoutingException {
        if (state.exists()) {
            throw new RoutingException("routing is already up (" + state.path() + " records it); run 'portal down'"
                    + " with this config first");
        }
        RoutingSession session = new RoutingSession(runner, state, log);
        plan.notes().forEach(n -> log.accept("# " + n));
        for (RoutingStep step : plan.steps()) {
            log.accept(step.apply().toString());
            try {
                runner.run(step.apply());
                if (step.undo().isPresent()) {
                    session.applied.add(step.undo().get());
                    state.write(session.applied);
                }
            } catch (RoutingException e) {
                List<String> failures = session.teardown();
                RoutingException failure = new RoutingException(e.getMessage()
                        + (failures.isEmpty() ? " (the steps before it were undone)"
                        : " (undoing the steps before it also failed: " + String.join("; ", failures) + ")"), e);
                throw failure;
            }
        }
        return session;
    }

    /**
     * Removes what was added, newest first; returns the failures (empty when everything was removed). Idempotent.
     */
    public synchronized List<String> teardown() {
        if (closed) {
            return List.of();
        }
        closed = true;
        List<HostCommand> failed = new ArrayList<>();
        List<String> failures = undo(applied, runner, log, failed);
        try {
            state.write(failed);
        } catch (RoutingException e) {
            failures.add(e.getMessage());
        }
        return failures;
    }

    /** {@link #teardown()}, logging failures. */
    @Override
    public void close() {
        teardown().forEach(f -> log.accept("# warning: " + f));
    }

    /**
     * {@code portal down}: runs the undo commands recorded in {@code state}, newest first; returns the failures.
     * With {@code dryRun} only prints them.
     */
    public static List<String> teardownRecorded(RoutingStateFile state, CommandRunner runner, Consumer<String> log,
            boolean dryRun) throws RoutingException {
        List<HostCommand> recorded = state.read();
        if (dryRun) {
            List<HostCommand> reversed = new ArrayList<>(recorded);
            Collections.reverse(reversed);
            reversed.forEach(c -> log.accept(c.toString()));
            return List.of();
        }
        List<HostCommand> failed = new ArrayList<>();
        List<String> failures = undo(recorded, runner, log, failed);
        state.write(failed);
        return failures;
    }

    private static List<String> undo(List<HostCommand> undos, CommandRunner runner, Consumer<String> log,
            List<HostCommand> failed) {
        List<String> failures = new ArrayList<>();
        for (int i = undos.size() - 1; i >= 0; i--) {
            HostCommand undo = undos.get(i);
            log.accept(undo.toString());
            try {
                runner.run(undo);
            } catch (RoutingException e) {
                failures.add(e.getMessage());
                failed.add(0, undo);
            }
        }
        return failures;
    }
}
