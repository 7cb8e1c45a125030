package dev.multipath.lab.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Parses the JSON of an iperf3 client run with {@code -J --get-server-output} into a {@link FlowResult}, taking
 * intervals from the receiver: the server for outbound flows, the client itself for reverse ({@code -R}) flows.
 * Stateless and thread-safe.
 */
public final class IperfJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IperfJson() {
    }

    /** Parses {@code json}; a missing or broken document gives a result with an error, never an exception. */
    public static FlowResult parse(String json, boolean reverse) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return failed("iperf3 output is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return failed("iperf3 printed nothing");
        }
        JsonNode server = root.path("server_output_json");
        JsonNode receiver = reverse ? root : server;
        JsonNode sender = reverse ? server : root;
        JsonNode intervals = receiver.path("intervals");
        if (intervals.isMissingNode() || intervals.isEmpty()) {
            intervals = root.path("intervals"); // fall back to the client's view rather than nothing
        }
        double[] series = new double[intervals.size()];
        double intervalSec = 0.5;
        for (int i = 0; i < series.length; i++) {
            JsonNode sum = intervals.get(i).path("sum");
            series[i] = sum.path("bits_per_second").asDouble(0) / 1e6;
            if (i == 0) {
                intervalSec = sum.path("seconds").asDouble(0.5);
            }
        }
        double goodput = root.path("end").path("sum_received").path("bits_per_second").asDouble(Double.NaN) / 1e6;
        JsonNode senderStream = sender.path("end").path("streams").path(0).path("sender");
        double rttMs = senderStream.has("mean_rtt") ? senderStream.path("mean_rtt").asDouble() / 1000.0 : Double.NaN;
        long retrans = sender.path("end").path("sum_sent").path("retransmits").asLong(-1);
        String error = root.hasNonNull("error") ? root.get("error").asText() : null;
        if (error == null && Double.isNaN(goodput)) {
            error = "iperf3 reported no end summary";
        }
        return new FlowResult(Double.isNaN(goodput) ? 0 : goodput, series, intervalSec, rttMs, retrans, error);
    }

    private static FlowResult failed(String why) {
        return new FlowResult(0, new double[0], 0.5, Double.NaN, -1, why);
    }
}
