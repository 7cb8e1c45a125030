package dev.multipath.examples.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders a status document ({@link StatusReport}) as text for people, in the manner of {@code wg show}: the
 * interface and session first, then one block per path, then drops. A value the portal does not know (yet) is
 * shown as "-". Fields with no line of their own are listed as "name: value" at the end of their block, so a
 * field the engine adds is visible at once; giving it a proper line is one entry in {@link #PATH_LINES}.
 *
 * <p>Stateless and thread-safe.
 */
public final class StatusText {

    /** One line of a block: its label and how to make its value from the block's JSON object. */
    private record Line(String label, Function<JsonNode, String> value, Set<String> uses) {
    }

    private static final String NONE = "-";

    private static final List<Line> PORTAL_LINES = List.of(
            new Line("role", n -> text(n, "role"), Set.of("role")),
            new Line("uptime", n -> duration(n.get("uptimeSeconds")), Set.of("uptimeSeconds")),
            new Line("session", n -> flag(n.get("sessionEstablished"), "established", "not established"),
                    Set.of("sessionEstablished")),
            new Line("peer", n -> text(n, "peer"), Set.of("peer")),
            new Line("latest handshake", n -> ago(n.get("handshakeAgeSeconds")), Set.of("handshakeAgeSeconds")),
            new Line("mode", n -> text(n, "mode"), Set.of("mode")),
            new Line("tunnel packets", n -> count(n.get("packetsFromSource")) + " read, "
                    + count(n.get("packetsToSource")) + " written", Set.of("packetsFromSource", "packetsToSource")));

    private static final List<Line> PATH_LINES = List.of(
            new Line("state", n -> text(n, "state") + downs(n.get("downEvents")), Set.of("state", "downEvents")),
            new Line("endpoint", n -> text(n, "local") + " -> " + text(n, "remote"), Set.of("local", "remote")),
            new Line("transport", n -> text(n, "transport"), Set.of("transport")),
            new Line("metric", n -> text(n, "metric"), Set.of("metric")),
            new Line("rtt", n -> millis(n.get("rttSeconds")), Set.of("rttSeconds")),
            new Line("rate", n -> bitRate(n.get("rateBytesPerSecond")), Set.of("rateBytesPerSecond")),
            new Line("loss", StatusText::loss, Set.of("lossRatio")),
            new Line("congestion", StatusText::congestion, Set.of("congestion")),
            new Line("failover", StatusText::failover, Set.of()),
            new Line("transfer", n -> bytes(n.get("bytesReceived")) + " received (" + count(n.get("packetsReceived"))
                    + " packets), " + bytes(n.get("bytesSent")) + " sent (" + count(n.get("packetsSent"))
                    + " packets)", Set.of("bytesReceived", "packetsReceived", "bytesSent", "packetsSent")),
            new Line("latest frame", n -> ago(n.get("lastReceiveAgeSeconds")), Set.of("lastReceiveAgeSeconds")));

    /** Keys shown in headings or sections of their own. */
    private static final Set<String> PORTAL_HEADINGS = Set.of("sourceName", "paths", "drops", "peers");
    private static final Set<String> PATH_HEADINGS = Set.of("id", "name");

    private StatusText() {
    }

    /** The text view of {@code report}, ending with a newline. */
    public static String render(JsonNode report) {
        StringBuilder out = new StringBuilder();
        out.append("interface: ").append(text(report, "sourceName")).append('\n');
        block(out, report, PORTAL_LINES, PORTAL_HEADINGS);
        JsonNode paths = report.path("paths");
        if (paths.isEmpty()) {
            out.append("\n(no paths yet)\n");
        }
        for (JsonNode peer : report.path("peers")) {
            // A remote portal serving several sites: one block per peer, like `wg show`.
            out.append("\npeer: ").append(text(peer, "name")).append('\n');
            out.append("  public key: ").append(text(peer, "publicKey")).append('\n');
            out.append("  allowed ips: ").append(generic(peer.path("allowedIps"))).append('\n');
            out.append("  session: ").append(flag(peer.get("sessionEstablished"), "established", "not established"))
                    .append('\n');
            out.append("  tunnel packets: ").append(count(peer.get("packetsFromSource"))).append(" read, ")
                    .append(count(peer.get("packetsToSource"))).append(" written\n");
            out.append("  paths: ").append(generic(peer.path("paths"))).append('\n');
            if (!peer.path("drops").isEmpty()) {
                out.append("  drops: ").append(generic(peer.path("drops"))).append('\n');
            }
        }
        for (JsonNode path : paths) {
            out.append("\npath: ").append(text(path, "name")).append(" (id ").append(text(path, "id")).append(")\n");
            block(out, path, PATH_LINES, PATH_HEADINGS);
        }
        out.append("\ndrops:");
        JsonNode drops = report.path("drops");
        if (drops.isEmpty()) {
            out.append(" none\n");
        } else {
            out.append('\n');
            for (Iterator<Map.Entry<String, JsonNode>> it = drops.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> drop = it.next();
                out.append("  ").append(drop.getKey().replace('_', ' ')).append(": ").append(count(drop.getValue()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static void block(StringBuilder out, JsonNode node, List<Line> lines, Set<String> headings) {
        List<String> used = new ArrayList<>(headings);
        for (Line line : lines) {
            out.append("  ").append(line.label()).append(": ").append(line.value().apply(node)).append('\n');
            used.addAll(line.uses());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!used.contains(field.getKey())) {
                out.append("  ").append(words(field.getKey())).append(": ").append(generic(field.getValue()))
                        .append('\n');
            }
        }
    }

    /** "reorderTimeouts" -> "reorder timeouts". */
    static String words(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static String generic(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NONE;
        }
        if (value.isObject()) {
            List<String> parts = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                parts.add(words(field.getKey()) + " " + generic(field.getValue()));
            }
            return parts.isEmpty() ? NONE : String.join(", ", parts);
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(generic(v)));
            return parts.isEmpty() ? NONE : String.join(", ", parts);
        }
        if (value.isIntegralNumber()) {
            return count(value);
        }
        return value.asText();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() || value.asText().isEmpty() ? NONE : value.asText();
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || !value.isNumber();
    }

    private static String flag(JsonNode value, String yes, String no) {
        return value == null || value.isNull() ? NONE : value.asBoolean() ? yes : no;
    }

    private static String downs(JsonNode value) {
        if (absent(value) || value.asLong() == 0) {
            return "";
        }
        return " (went down " + count(value) + (value.asLong() == 1 ? " time)" : " times)");
    }

    /** Frames declared lost over frames acknowledged plus lost, from the congestion figures. */
    private static String loss(JsonNode path) {
        JsonNode cc = path.get("congestion");
        if (cc == null || !cc.has("lostFrames") || !cc.has("ackedFrames")) {
            return NONE;
        }
        long lost = cc.get("lostFrames").asLong();
        long total = lost + cc.get("ackedFrames").asLong();
        return total == 0 ? NONE : String.format(java.util.Locale.ROOT, "%.2f %% (%,d frames)", 100.0 * lost / total,
                lost);
    }

    /** "silent 2 times, 25 packets sent again, dead 1 time" from the congestion figures; "-" if never. */
    private static String failover(JsonNode path) {
        JsonNode cc = path.get("congestion");
        if (cc == null || !cc.has("silences") || !cc.has("rescued") || !cc.has("deaths")
                || cc.get("silences").asLong() + cc.get("rescued").asLong() + cc.get("deaths").asLong() == 0) {
            return NONE;
        }
        return "silent " + times(cc.get("silences")) + ", " + count(cc.get("rescued")) + " packets sent again, dead "
                + times(cc.get("deaths"));
    }

    private static String times(JsonNode value) {
        return count(value) + (value.asLong() == 1 ? " time" : " times");
    }

    /** "bbr, cwnd 14.1 KiB, in flight 2.8 KiB, pacing 9.6 Mbit/s", or "by TCP" on a TCP link. */
    private static String congestion(JsonNode path) {
        JsonNode cc = path.get("congestion");
        if (cc == null || absent(cc.get("controller")) || cc.get("controller").asText().equals(NONE)) {
            return "by the transport (TCP)" + (cc == null ? "" : ecnMarks(cc.get("ecnMarked")));
        }
        return cc.get("controller").asText() + ", cwnd " + bytes(cc.get("cwndBytes")) + ", in flight "
                + bytes(cc.get("bytesInFlight")) + ", pacing " + bitRate(cc.get("pacingRateBytesPerSecond"))
                + ", min rtt " + millis(cc.get("minRttSeconds")) + ecnMarks(cc.get("ecnMarked"));
    }

    /** ", 12 packets ECN-marked" when the path's queue marked any instead of dropping them. */
    private static String ecnMarks(JsonNode value) {
        return absent(value) || value.asLong() == 0 ? "" : ", " + count(value) + " packets ECN-marked";
    }

    static String count(JsonNode value) {
        return absent(value) ? NONE : String.format(Locale.ROOT, "%,d", value.asLong());
    }

    static String millis(JsonNode seconds) {
        return absent(seconds) ? NONE : String.format(Locale.ROOT, "%.1f ms", seconds.asDouble() * 1000);
    }

    static String percent(JsonNode ratio) {
        return absent(ratio) ? NONE : String.format(Locale.ROOT, "%.2f %%", ratio.asDouble() * 100);
    }

    static String ago(JsonNode seconds) {
        return absent(seconds) ? NONE : duration(seconds) + " ago";
    }

    static String duration(JsonNode seconds) {
        if (absent(seconds)) {
            return NONE;
        }
        double s = seconds.asDouble();
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = (long) s;
        if (whole < 3600) {
            return String.format(Locale.ROOT, "%d min %d s", whole / 60, whole % 60);
        }
        if (whole < 86400) {
            return String.format(Locale.ROOT, "%d h %d min", whole / 3600, whole % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%d d %d h", whole / 86400, whole % 86400 / 3600);
    }

    /** Bytes in binary units, as {@code wg show} does. */
    static String bytes(JsonNode value) {
        if (absent(value)) {
            return NONE;
        }
        double b = value.asDouble();
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (b >= 1024 && unit < units.length - 1) {
            b /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%d B", value.asLong())
                : String.format(Locale.ROOT, "%.2f %s", b, units[unit]);
    }

    /** A byte rate as bits per second (how links are sold). */
    static String bitRate(JsonNode bytesPerSecond) {
        if (absent(bytesPerSecond) || bytesPerSecond.asLong() == 0) {
            return NONE;
        }
        double bits = bytesPerSecond.asDouble() * 8;
        if (bits >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bits / 1e9);
        }
        if (bits >= 1e6) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bits / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kbit/s", bits / 1e3);
    }
}
