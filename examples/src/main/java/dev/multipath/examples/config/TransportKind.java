package dev.multipath.examples.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a path carries frames, as written in the config's {@code transport} key. */
public enum TransportKind {
    /** One TCP connection per path. */
    TCP("tcp"),
    /** UDP datagrams with the project's own congestion control. */
    UDP("udp"),
    /** Frames directly in IP packets with an experimental protocol number. */
    RAWIP("rawip");

    private final String configName;

    TransportKind(String configName) {
        this.configName = configName;
    }

    /** The name used in config files and in {@code Transport.kind()}. */
    public String configName() {
        return configName;
    }

    /** The kind written as {@code name} in a config file, if any. */
    public static Optional<TransportKind> fromConfigName(String name) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
    }

    /** "tcp|udp|rawip", for error messages. */
    static String choices() {
        return Arrays.stream(values()).map(TransportKind::configName).collect(Collectors.joining("|"));
    }
}
