package dev.multipath.lab.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One iperf3 UDP stream as the receiver counted it (iperf3's {@code end.sum}, which carries the receiver's counts in
 * both directions). Immutable.
 *
 * @param packets     datagrams sent
 * @param lost        datagrams that never arrived (iperf3 subtracts late, out-of-order arrivals)
 * @param lossPct     lost / packets in percent
 * @param goodputMbit received bit rate
 * @param jitterMs    iperf3's jitter estimate
 * @param error       iperf3's error, or null if the stream completed
 */
public record UdpResult(long packets, long lost, double lossPct, double goodputMbit, double jitterMs, String error) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public boolean completed() {
        return error == null;
    }

    static UdpResult failed(String why) {
        return new UdpResult(0, 0, Double.NaN, 0, Double.NaN, why);
    }

    /** Parses a client's {@code -J} document; never throws. */
    public static UdpResult parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            return failed("iperf3 output is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return failed("iperf3 printed nothing");
        }
        if (root.hasNonNull("error")) {
            return failed(root.get("error").asText());
        }
        JsonNode sum = root.path("end").path("sum");
        if (!sum.has("packets")) {
            return failed("iperf3 reported no UDP summary");
        }
        long packets = sum.path("packets").asLong();
        long lost = Math.max(0, sum.path("lost_packets").asLong());
        double mbit = root.path("end").path("sum_received").path("bits_per_second")
                .asDouble(sum.path("bits_per_second").asDouble()) / 1e6;
        return new UdpResult(packets, lost, packets > 0 ? 100.0 * lost / packets : Double.NaN, mbit,
                sum.path("jitter_ms").asDouble(Double.NaN), null);
    }
}
