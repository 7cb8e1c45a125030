package dev.multipath.examples.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * What {@code portal up} does and {@code portal down} undoes, computed by {@link RoutingPlanner} from a config and
 * the facts found on the host. Immutable; running it is {@link RoutingSession}'s job.
 *
 * @param notes what was found on the host and why (printed as {@code #} comments before the commands)
 * @param steps the changes, in the order they are applied
 */
public record RoutingPlan(List<String> notes, List<RoutingStep> steps) {

    public RoutingPlan {
        notes = List.copyOf(notes);
        steps = List.copyOf(steps);
    }

    /** The commands of {@code up}, in order. */
    public List<HostCommand> upCommands() {
        List<HostCommand> up = new ArrayList<>();
        steps.forEach(s -> up.add(s.apply()));
        return up;
    }

    /** The commands of {@code down} after a complete {@code up}: every undo, last applied first. */
    public List<HostCommand> downCommands() {
        List<HostCommand> down = new ArrayList<>();
        steps.forEach(s -> s.undo().ifPresent(down::add));
        Collections.reverse(down);
        return down;
    }

    /** The plan as {@code --dry-run} prints it: notes as comments, then one command per line. */
    public String render() {
        StringBuilder out = new StringBuilder();
        notes.forEach(n -> out.append("# ").append(n).append('\n'));
        upCommands().forEach(c -> out.append(c).append('\n'));
        return out.toString();
    }

    /** The undo of the step whose command is {@code apply}, if any (for tests and messages). */
    Optional<HostCommand> undoOf(HostCommand apply) {
        return steps.stream().filter(s -> s.apply().equals(apply)).findFirst().flatMap(RoutingStep::undo);
    }
}
