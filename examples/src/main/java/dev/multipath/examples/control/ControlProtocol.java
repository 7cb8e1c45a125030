package dev.multipath.examples.control;

/**
 * The control socket's line protocol. A client connects, sends one request line ending in '\n' (at most
 * {@value #MAX_REQUEST_BYTES} bytes, ASCII), reads the answer until the server closes the connection. An answer
 * that starts with {@value #ERROR_PREFIX} is an error message on one line; anything else is the result.
 *
 * <pre>
 * status        the status as text (what "portal status" prints)
 * status json   the status as one JSON object
 * metrics       the Prometheus text exposition (what the metrics endpoint serves)
 * </pre>
 *
 * It works with any AF_UNIX client: {@code echo status | socat - UNIX-CONNECT:/run/multipath/mp0.sock}.
 */
public final class ControlProtocol {

    public static final String STATUS = "status";
    public static final String STATUS_JSON = "status json";
    public static final String METRICS = "metrics";
    /** Starts every error answer. */
    public static final String ERROR_PREFIX = "error: ";
    /** The error a peer gets when {@link PeerPolicy} refuses it; the client maps it to "permission denied". */
    public static final String PERMISSION_DENIED = ERROR_PREFIX + "permission denied (only root and the portal's"
            + " own user may use the control socket)\n";
    /** Longest request line accepted, newline excluded. */
    public static final int MAX_REQUEST_BYTES = 256;
    /** Longest answer a client accepts. */
    public static final int MAX_ANSWER_BYTES = 4 << 20;

    private ControlProtocol() {
    }

    /** An error answer for {@code message}: one line. */
    public static String error(String message) {
        return ERROR_PREFIX + message.replace('\n', ' ') + "\n";
    }
}
