package dev.multipath.examples.config;

/**
 * A config file that cannot be used. The message is one line meant for the user: it names the key (for
 * example {@code path[1].remote}) and says what is wrong, such as
 * {@code path[1].remote: expected host:port, got '10.0.0.1'}.
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /**
     * @param key     the dotted key the problem is about ({@code portal.mtu}, {@code path[2].name}), or an empty
     *                string for the file as a whole (syntax errors, unreadable file)
     * @param problem what is wrong, without the key
     */
    public ConfigException(String key, String problem) {
        this(key.isEmpty() ? problem : key + ": " + problem, key, problem);
    }

    private ConfigException(String message, String key, String problem) {
        super(message);
        this.key = key;
        this.problem = problem;
    }

    /** The same problem with the file name in front of the message ({@code local.toml: portal.mtu: ...}). */
    ConfigException inFile(java.nio.file.Path file) {
        return new ConfigException(file + ": " + getMessage(), key, problem);
    }

    /** The dotted key the problem is about, or an empty string when it concerns the whole file. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key or file name. */
    public String problem() {
        return problem;
    }
}
