package dev.multipath.examples.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multipath.api.DropReason;
import java.util.List;
import java.util.Locale;

/**
 * Writes a status document ({@code StatusReport}) in the Prometheus text exposition format, version 0.0.4:
 * {@code # HELP} and {@code # TYPE} once per family, then one sample per line, label values escaped.
 * The metric names are documented in {@code docs/operations.md}; each per-path metric is one entry of
 * {@link #PATH_METRICS} reading one field of the path's JSON object, and a field that is absent or null (not
 * measured yet, or not reported by this engine version) produces no sample, so adding a metric for a field the
 * engine adds later is one line.
 *
 * <p>Stateless and thread-safe. Written by hand because the format is a few lines of text and the JDK's HTTP
 * server serves it; the Prometheus client library would add dependencies for no gain here.
 */
public final class PrometheusText {

    /** The Content-Type of this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** One sample of a family: the JSON field it reads and the labels it adds to {@code path}. */
    private record Sample(String field, String[] labels) {
    }

    /** A per-path metric family. */
    private record Family(String name, String type, String help, List<Sample> samples) {
    }

    private static Family family(String name, String type, String help, String field, String... labels) {
        return new Family(name, type, help, List.of(new Sample(field, labels)));
    }

    private static Family directions(String name, String help, String sentField, String receivedField) {
        return new Family(name, "counter", help, List.of(new Sample(sentField, new String[] {"direction", "sent"}),
                new Sample(receivedField, new String[] {"direction", "received"})));
    }

    private static final List<Family> PATH_METRICS = List.of(
            directions("multipath_path_bytes_total", "Bytes of frames sent to and received from the peer on the path.",
                    "bytesSent", "bytesReceived"),
            directions("multipath_path_packets_total", "Frames sent to and received from the peer on the path.",
                    "packetsSent", "packetsReceived"),
            family("multipath_path_rtt_seconds", "gauge", "Smoothed round-trip time of the path.", "rttSeconds"),
            family("multipath_path_rate_bytes_per_second", "gauge", "Estimated delivery rate of the path.",
                    "rateBytesPerSecond"),
            family("multipath_path_loss_ratio", "gauge", "Estimated loss of the path, 0 to 1.", "lossRatio"),
            family("multipath_path_metric", "gauge", "Configured connection metric (lower is preferred).", "metric"),
            family("multipath_path_down_events_total", "counter", "Times the path went from usable to unusable.",
                    "downEvents"),
            family("multipath_path_last_receive_age_seconds", "gauge",
                    "Seconds since the last authenticated frame arrived on the path.", "lastReceiveAgeSeconds"),
            family("multipath_path_silences_total", "counter", "Times a frame's acknowledgement on the path was "
                    + "overdue by a retransmission timeout (the path took no new data until it answered).",
                    "congestion.silences"),
            family("multipath_path_rescued_packets_total", "counter", "Packets sent again on other paths because "
                    + "this path fell silent before acknowledging them.", "congestion.rescued"),
            family("multipath_path_padding_frames_total", "counter", "Padding frames sent while the path's congestion "
                    + "control searched for its capacity (after the path came up or back).", "congestion.padding"),
            family("multipath_path_ecn_marked_total", "counter", "Inner packets marked Congestion Experienced "
                    + "instead of dropped when they waited too long in the portal's queue (their sender uses ECN).",
                    "congestion.ecnMarked"),
            family("multipath_path_deaths_total", "counter", "Times the path was declared dead (probes unanswered).",
                    "congestion.deaths"));

    private PrometheusText() {
    }

    /** A field of {@code node}, or of a nested object with a dotted name ("congestion.silences"); null if absent. */
    private static JsonNode field(JsonNode node, String dotted) {
        JsonNode n = node;
        for (String part : dotted.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    /** The exposition of {@code report}, ending with a newline. */
    public static String render(JsonNode report) {
        StringBuilder out = new StringBuilder(4096);
        JsonNode paths = report.path("paths");

        header(out, "multipath_info", "gauge", "Always 1; labels say which portal this is.");
        sample(out, "multipath_info", 1, "role", report.path("role").asText(), "interface",
                report.path("sourceName").asText());
        header(out, "multipath_uptime_seconds", "gauge", "Seconds since the portal started.");
        sample(out, "multipath_uptime_seconds", report.path("uptimeSeconds").asDouble());
        header(out, "multipath_session_established", "gauge", "1 while the portal has an authenticated session.");
        sample(out, "multipath_session_established", report.path("sessionEstablished").asBoolean() ? 1 : 0);
        header(out, "multipath_source_packets_total", "counter",
                "IP packets read from (direction=read) and written to (direction=written) the TUN device.");
        sample(out, "multipath_source_packets_total", report.path("packetsFromSource").asDouble(), "direction", "read");
        sample(out, "multipath_source_packets_total", report.path("packetsToSource").asDouble(), "direction",
                "written");
        JsonNode sourceCounters = report.path("sourceCounters");
        if (!sourceCounters.isEmpty()) {
            header(out, "multipath_source_events_total", "counter", "The TUN device's own counters by name: packets "
                    + "read and written, TCP super-packets cut (superPacketsRead) and joined (superPacketsWritten, "
                    + "segmentsJoined), drops.");
            for (java.util.Iterator<java.util.Map.Entry<String, JsonNode>> it = sourceCounters.fields(); it.hasNext(); ) {
                java.util.Map.Entry<String, JsonNode> c = it.next();
                sample(out, "multipath_source_events_total", c.getValue().asDouble(), "counter", c.getKey());
            }
        }

        header(out, "multipath_path_up", "gauge", "1 if the path is usable, 0 if down or waiting for its link.");
        for (JsonNode path : paths) {
            sample(out, "multipath_path_up", "up".equals(path.path("state").asText()) ? 1 : 0, "path", name(path));
        }
        header(out, "multipath_path_info", "gauge", "Always 1; labels describe the path.");
        for (JsonNode path : paths) {
            sample(out, "multipath_path_info", 1, "path", name(path), "state", path.path("state").asText(),
                    "transport", textOrEmpty(path, "transport"), "local", textOrEmpty(path, "local"),
                    "remote", textOrEmpty(path, "remote"));
        }
        for (Family family : PATH_METRICS) {
            boolean headerWritten = false;
            for (JsonNode path : paths) {
                for (Sample s : family.samples()) {
                    JsonNode value = field(path, s.field());
                    if (value == null || !value.isNumber()) {
                        continue;
                    }
                    if (!headerWritten) {
                        header(out, family.name(), family.type(), family.help());
                        headerWritten = true;
                    }
                    String[] labels = new String[s.labels().length + 2];
                    labels[0] = "path";
                    labels[1] = name(path);
                    System.arraycopy(s.labels(), 0, labels, 2, s.labels().length);
                    sample(out, family.name(), value.asDouble(), labels);
                }
            }
        }

        JsonNode peers = report.path("peers");
        if (!peers.isEmpty()) {
            // A remote portal serving several sites: the session and the traffic of each.
            header(out, "multipath_peer_session_established", "gauge", "1 while the peer has a session.");
            for (JsonNode peer : peers) {
                sample(out, "multipath_peer_session_established", peer.path("sessionEstablished").asBoolean() ? 1 : 0,
                        "peer", name(peer));
            }
            header(out, "multipath_peer_packets_total", "counter",
                    "IP packets of the peer read from (direction=read) and written to (direction=written) the TUN.");
            for (JsonNode peer : peers) {
                sample(out, "multipath_peer_packets_total", peer.path("packetsFromSource").asDouble(), "peer",
                        name(peer), "direction", "read");
                sample(out, "multipath_peer_packets_total", peer.path("packetsToSource").asDouble(), "peer",
                        name(peer), "direction", "written");
            }
        }

        header(out, "multipath_drops_total", "counter", "Packets and frames dropped, by reason.");
        JsonNode drops = report.path("drops");
        for (DropReason reason : DropReason.values()) {
            String key = reason.name().toLowerCase(Locale.ROOT);
            sample(out, "multipath_drops_total", drops.path(key).asDouble(0), "reason", key);
        }
        return out.toString();
    }

    private static String name(JsonNode path) {
        return path.path("name").asText();
    }

    private static String textOrEmpty(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** One sample line; {@code labels} alternates names and values. */
    static void sample(StringBuilder out, String name, double value, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"").append(escape(labels[i + 1])).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Integers without a fraction (counters read better), others in Java's shortest round-trip form. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
