package dev.multipath.examples.control;

/** A control request that failed; {@link #kind()} says why, the message says it for the user. */
public final class ControlException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Kind {
        /** No socket at the path, or nobody listening on it. */
        NOT_RUNNING,
        /** The file permissions or the portal's peer check refused this user. */
        PERMISSION_DENIED,
        /** Anything else: timeout, error answer, broken connection. */
        FAILED
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
