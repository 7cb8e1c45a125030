package dev.multipath.examples.routing;

import java.util.Optional;

/**
 * One change a routing plan makes, with the command that takes exactly that change back. A step with no undo is
 * one whose effect goes away with an earlier step's undo (a chain or rule inside an nft table the plan created, the
 * MTU of a TUN device the plan created) or that changes nothing that needs restoring.
 *
 * @param apply the command that makes the change
 * @param undo  the command that removes it, run on {@code portal down} or exit, in reverse order of application
 */
public record RoutingStep(HostCommand apply, Optional<HostCommand> undo) {

    static RoutingStep of(HostCommand apply, HostCommand undo) {
        return new RoutingStep(apply, Optional.of(undo));
    }

    static RoutingStep withoutUndo(HostCommand apply) {
        return new RoutingStep(apply, Optional.empty());
    }
}
