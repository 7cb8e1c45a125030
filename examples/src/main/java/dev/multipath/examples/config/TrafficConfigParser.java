package dev.multipath.examples.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code congestion_control} and {@code capacity_search} under [portal], the {@code [redundant]} table, and a
 * path's {@code overflow}.
 */
final class TrafficConfigParser {

    private static final Map<String, Integer> PROTOCOL_NAMES = Map.of("icmp", 1, "tcp", 6, "udp", 17, "gre", 47,
            "esp", 50, "icmpv6", 58, "sctp", 132);

    private TrafficConfigParser() {
    }

    /** Call before the [portal] table rejects unknown keys; {@code redundant} is the optional top-level table. */
    static TrafficConfig read(TomlTable portal, Optional<TomlTable> redundant) throws ConfigException {
        String cc = portal.optionalString("congestion_control").orElse("bbr");
        if (!cc.equals("bbr") && !cc.equals("cubic")) {
            throw portal.error("congestion_control", "expected \"bbr\" or \"cubic\", got '" + cc + "'");
        }
        boolean search = portal.optionalBoolean("capacity_search").orElse(true);
        if (redundant.isEmpty()) {
            return new TrafficConfig(cc, Set.of(), Set.of(), Set.of(), search);
        }
        TomlTable r = redundant.get();
        Set<Integer> protocols = numbers(r, "protocols", 255, true);
        Set<Integer> ports = numbers(r, "ports", 65535, false);
        Set<Integer> dscp = numbers(r, "dscp", 63, false);
        r.rejectUnknownKeys();
        return new TrafficConfig(cc, protocols, ports, dscp, search);
    }

    /** A path's {@code overflow} (default false). */
    static boolean readOverflow(TomlTable path) throws ConfigException {
        JsonNode node = path.raw("overflow");
        if (node == null) {
            return false;
        }
        if (!node.isBoolean()) {
            throw path.error("overflow", "expected true or false, got " + TomlTable.describe(node));
        }
        return node.booleanValue();
    }

    private static Set<Integer> numbers(TomlTable table, String key, int max, boolean protocolNames)
            throws ConfigException {
        JsonNode node = table.raw(key);
        Set<Integer> out = new LinkedHashSet<>();
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            throw table.error(key, "expected a list such as [5060, 4569], got " + TomlTable.describe(node));
        }
        for (JsonNode v : node) {
            if (v.isTextual() && protocolNames && PROTOCOL_NAMES.containsKey(v.asText())) {
                out.add(PROTOCOL_NAMES.get(v.asText()));
            } else if (v.canConvertToInt() && v.isIntegralNumber() && v.asInt() >= 0 && v.asInt() <= max) {
                out.add(v.asInt());
            } else {
                throw table.error(key, "expected " + (protocolNames ? "protocol names " + PROTOCOL_NAMES.keySet()
                        + " or numbers" : "numbers") + " from 0 to " + max + ", got " + TomlTable.describe(v));
            }
        }
        return out;
    }
}
