package dev.multipath.examples.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multipath.api.PortalStatus;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link PortalStatus} into the status document that {@code portal status --json} prints and from which
 * the text view and the Prometheus metrics are made, so the three always agree.
 *
 * <p>The conversion is generic: every component of {@code PortalStatus} and of each {@code PortalStatus.Path}
 * becomes a JSON field of the same name (records nest, enums and map keys become lower case, Optionals unwrap).
 * A field the engine adds later therefore appears in the JSON with no change here, and in the text view as a
 * plain "name: value" line until someone gives it a nicer format. One naming rule turns the engine's
 * {@code System.nanoTime()} values into something that means something outside the process:
 * <ul>
 * <li>{@code lastXxxNanos} (a timestamp) becomes {@code lastXxxAgeSeconds}: seconds since then, null if never;</li>
 * <li>any other {@code xxxNanos} (a duration) becomes {@code xxxSeconds}, null when 0 (not measured yet).</li>
 * </ul>
 * Added by this class: {@code uptimeSeconds}, {@code mode}, {@code peer} (null while unknown), and per path
 * {@code local} and {@code transport} from the config when the engine does not report them.
 *
 * <p>Stateless and thread-safe.
 */
public final class StatusReport {

    /** The JSON mapper used for the document (pretty printing for humans who read the JSON). */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusReport() {
    }

    /** The status document of {@code status} at {@code nowNanos} ({@link System#nanoTime()}). */
    public static ObjectNode build(PortalStatus status, PortalInfo info, long nowNanos) {
        ObjectNode report = NODES.objectNode();
        report.put("uptimeSeconds", seconds(nowNanos - info.startNanos()));
        putOptional(report, "mode", info.mode());
        putOptional(report, "peer", info.peer());
        ObjectNode converted = (ObjectNode) toNode(status, nowNanos);
        report.setAll(converted);
        JsonNode paths = report.get("paths");
        if (paths instanceof ArrayNode) {
            for (JsonNode path : paths) {
                PortalInfo.PathInfo configured = info.paths().get(path.path("name").asText());
                if (configured != null && path instanceof ObjectNode) {
                    ObjectNode p = (ObjectNode) path;
                    if (!p.has("local")) {
                        p.put("local", configured.local());
                    }
                    if (!p.has("transport")) {
                        p.put("transport", configured.transport());
                    }
                }
            }
        }
        return report;
    }

    /** The document as JSON text, pretty-printed, ending with a newline. */
    public static String toJson(JsonNode report) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serializes", e);
        }
    }

    private static void putOptional(ObjectNode node, String key, Optional<String> value) {
        if (value.isPresent()) {
            node.put(key, value.get());
        } else {
            node.putNull(key);
        }
    }

    /** Converts a value of a record component (recursively) to JSON. */
    static JsonNode toNode(Object value, long nowNanos) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof Optional) {
            return toNode(((Optional<?>) value).orElse(null), nowNanos);
        }
        if (value instanceof Record) {
            ObjectNode node = NODES.objectNode();
            for (RecordComponent component : value.getClass().getRecordComponents()) {
                put(node, component.getName(), read(component, value), nowNanos);
            }
            return node;
        }
        if (value instanceof Map) {
            ObjectNode node = NODES.objectNode();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                put(node, keyName(entry.getKey()), entry.getValue(), nowNanos);
            }
            return node;
        }
        if (value instanceof Collection) {
            ArrayNode array = NODES.arrayNode();
            for (Object element : (Collection<?>) value) {
                array.add(toNode(element, nowNanos));
            }
            return array;
        }
        if (value instanceof Enum) {
            return NODES.textNode(((Enum<?>) value).name().toLowerCase(Locale.ROOT));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return MAPPER.valueToTree(value);
        }
        return NODES.textNode(value.toString());
    }

    private static void put(ObjectNode node, String name, Object value, long nowNanos) {
        if (name.endsWith("Nanos") && name.length() > 5 && value instanceof Long) {
            String stem = name.substring(0, name.length() - 5);
            long nanos = (Long) value;
            if (stem.startsWith("last")) {
                node.set(stem + "AgeSeconds", nanos == 0 ? NODES.nullNode() : NODES.numberNode(seconds(nowNanos - nanos)));
            } else {
                node.set(stem + "Seconds", nanos == 0 ? NODES.nullNode() : NODES.numberNode(nanos / 1e9));
            }
            return;
        }
        node.set(name, toNode(value, nowNanos));
    }

    private static String keyName(Object key) {
        return key instanceof Enum ? ((Enum<?>) key).name().toLowerCase(Locale.ROOT) : String.valueOf(key);
    }

    /** Seconds with millisecond resolution, never negative. */
    private static double seconds(long nanos) {
        return Math.max(0, nanos / 1_000_000) / 1000.0;
    }

    private static Object read(RecordComponent component, Object record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
