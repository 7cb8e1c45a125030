package dev.multipath.examples.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One TOML table being read by {@link ConfigParser}: typed getters that name the full key in every error,
 * and a record of which keys were read so that {@link #rejectUnknownKeys} can name any key nobody asked for
 * (a misspelt optional key must not be silently ignored).
 */
final class TomlTable {

    private final String path;
    private final ObjectNode node;
    private final Set<String> read = new HashSet<>();

    /**
     * @param path the table's key as users see it: "portal", "path[1]", or "" for the top level
     */
    TomlTable(String path, ObjectNode node) {
        this.path = path;
        this.node = node;
    }

    /** The full dotted key of {@code key} in this table, as shown in messages. */
    String keyOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** An exception about {@code key} of this table. */
    ConfigException error(String key, String problem) {
        return new ConfigException(keyOf(key), problem);
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** The raw node, or null; marks the key as read. */
    JsonNode raw(String key) {
        read.add(key);
        return node.get(key);
    }

    Optional<String> optionalString(String key) throws ConfigException {
        JsonNode value = raw(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw error(key, "expected a string in quotes, got " + describe(value));
        }
        return Optional.of(value.textValue());
    }

    String requiredString(String key) throws ConfigException {
        return optionalString(key).orElseThrow(() -> error(key, "missing required key"));
    }

    /** A boolean ({@code true} or {@code false} without quotes), if present. */
    Optional<Boolean> optionalBoolean(String key) throws ConfigException {
        JsonNode value = raw(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw error(key, "expected true or false (no quotes), got " + describe(value));
        }
        return Optional.of(value.booleanValue());
    }

    /** An integer in {@code min..max}, if present. */
    OptionalLong optionalInteger(String key, long min, long max) throws ConfigException {
        JsonNode value = raw(key);
        if (value == null) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber()) {
            throw error(key, "expected an integer, got " + describe(value));
        }
        if (!value.canConvertToLong() || value.longValue() < min || value.longValue() > max) {
            throw error(key, "expected an integer from " + min + " to " + max + ", got " + value.asText());
        }
        return OptionalLong.of(value.longValue());
    }

    /** A sub-table, if present; any other kind of value is an error. */
    Optional<TomlTable> optionalTable(String key) throws ConfigException {
        JsonNode value = raw(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw error(key, "expected a table [" + keyOf(key) + "], got " + describe(value));
        }
        return Optional.of(new TomlTable(keyOf(key), (ObjectNode) value));
    }

    /** Fails on the first key (in file order) that no getter asked for. */
    void rejectUnknownKeys() throws ConfigException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                throw error(name, "unknown key" + (path.isEmpty() ? " (top-level tables are [portal] and [[path]])"
                        : " in [" + path.replaceAll("\\[\\d+]$", "") + "]"));
            }
        }
    }

    /** A short description of a value of the wrong kind, for messages. */
    static String describe(JsonNode value) {
        if (value.isTextual()) {
            return "'" + value.textValue() + "'";
        }
        if (value.isObject()) {
            return "a table";
        }
        if (value.isArray()) {
            return "an array";
        }
        if (value.isBoolean()) {
            return value.asText();
        }
        return value.asText();
    }
}
