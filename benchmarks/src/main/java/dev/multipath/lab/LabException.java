package dev.multipath.lab;

/** A lab step that failed (a command, a timeout, a portal that did not come up); the message says which and why. */
public final class LabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
