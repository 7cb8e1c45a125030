package dev.multipath.lab.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multipath.lab.Shell;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;

/**
 * Bytes each link carried, read from the middle namespaces' interface counters ({@code ip -j -s link}): shows how the
 * portals split a flow across the links. Counts wire bytes (frames including the tunnel's headers). Stateless.
 */
public final class LinkCounters {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LinkCounters() {
    }

    /** A snapshot: bytes sent per link (index 0 = link 1) towards the remote portal or towards the local portal. */
    public record Snapshot(long[] bytes, long nanoTime) {
    }

    public static Snapshot take(Topology topo, boolean towardsRemote) {
        int n = topo.links().size();
        long[] bytes = new long[n];
        long now = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            // Frames towards rp leave the middle namespace on its "b" side, frames towards lp on its "a" side.
            String dev = topo.id() + "m" + i + (towardsRemote ? "b" : "a");
            Shell.Result r = Shell.tryRun("ip", "-n", topo.middleNs(i), "-j", "-s", "link", "show", "dev", dev);
            bytes[i - 1] = r.ok() ? parseTxBytes(r.stdout()) : -1;
        }
        return new Snapshot(bytes, now);
    }

    /** Mbit/s per link between two snapshots; NaN where a counter could not be read. */
    public static double[] mbitPerLink(Snapshot before, Snapshot after) {
        double sec = (after.nanoTime() - before.nanoTime()) / 1e9;
        double[] out = new double[before.bytes().length];
        for (int i = 0; i < out.length; i++) {
            long a = before.bytes()[i];
            long b = after.bytes()[i];
            out[i] = a < 0 || b < 0 || sec <= 0 ? Double.NaN : (b - a) * 8 / sec / 1e6;
        }
        return out;
    }

    static long parseTxBytes(String json) {
        try {
            JsonNode n = MAPPER.readTree(json).path(0).path("stats64").path("tx").path("bytes");
            return n.isNumber() ? n.asLong() : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
