package dev.multipath.examples;

/** The exit codes of the {@code portal} command, as documented in its {@code --help}. */
public final class ExitCodes {

    /** Success; for {@code run}: stopped cleanly by SIGINT or SIGTERM. */
    public static final int OK = 0;
    /** A failure while running: address in use, a transport or the engine failed. */
    public static final int RUNTIME_FAILURE = 1;
    /** Bad usage (unknown option, missing argument) or a bad config file. */
    public static final int BAD_USAGE_OR_CONFIG = 2;
    /** Missing privilege or TUN: not root / no CAP_NET_ADMIN, no /dev/net/tun, TUN name in use. */
    public static final int NO_PRIVILEGE_OR_TUN = 3;

    /** The table shown under "Exit codes" in the help (picocli's "key:description" form). */
    static final String[] HELP_LIST = {
        "0:ok (run: stopped cleanly by SIGINT or SIGTERM)",
        "1:runtime failure (address in use, transport or engine failure)",
        "2:bad usage or bad config file",
        "3:missing privilege or TUN (not root, no /dev/net/tun, TUN name in use)",
    };

    private ExitCodes() {
    }
}
