package dev.multipath.examples.routing;

/** Routing could not be planned, applied or removed; the message is one line for the user. */
public final class RoutingException extends Exception {

    private static final long serialVersionUID = 1L;

    public RoutingException(String message) {
        super(message);
    }

    public RoutingException(String message, Throwable cause) {
        super(message, cause);
    }
}
