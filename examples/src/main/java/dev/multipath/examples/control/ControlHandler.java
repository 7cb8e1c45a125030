package dev.multipath.examples.control;

/**
 * Answers one request line of the control protocol. Called on the control thread, one request at a time; must
 * not block for long (it runs while the client waits) and must not throw for bad input: an unknown request gets
 * an answer starting with {@value ControlProtocol#ERROR_PREFIX}.
 */
@FunctionalInterface
public interface ControlHandler {

    /** The answer to {@code request} (the line without its '\n'), sent as UTF-8 before the connection closes. */
    String handle(String request);
}
