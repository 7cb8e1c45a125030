package dev.multipath.lab.multipeer;

import dev.multipath.lab.Shell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server really received, counted by nftables in the server namespace (input hook), independent of iperf3:
 * one named counter per site by source subnet ({@code site<k>}), and for the spoofing site the packets it aims at
 * the server ({@code spooftcp}: TCP to its iperf3 port; {@code spoofping}: ICMP echo requests from the address it
 * spoofs; honest clients send none of either while a spoof is measured). {@link Sampler} reads them periodically for
 * a time series. Thread-safe (stateless apart from the namespace's table).
 */
public final class ServerCounters {
    private static final String TABLE = "mpqcnt";
    private static final Pattern COUNTER = Pattern.compile("counter (\\S+) \\{\\s*packets (\\d+) bytes (\\d+)");

    /** Packets and bytes of one counter. */
    public record Count(long packets, long bytes) {
        public Count minus(Count o) {
            return new Count(packets - o.packets, bytes - o.bytes);
        }
    }

    private final MultiPeerTopology topo;

    private ServerCounters(MultiPeerTopology topo) {
        this.topo = topo;
    }

    /**
     * Installs the counters. {@code spoofer}: the spoofing site (0 if none); {@code spoofedIp}: the address it sends
     * from.
     */
    public static ServerCounters install(MultiPeerTopology topo, int spoofer, String spoofedIp) {
        String ns = topo.serverNs();
        StringBuilder rules = new StringBuilder("table ip " + TABLE + " {\n");
        for (int k = 1; k <= topo.sites().size(); k++) {
            rules.append("  counter site").append(k).append(" { }\n");
        }
        rules.append("  counter spooftcp { }\n  counter spoofping { }\n");
        rules.append("  chain in {\n    type filter hook input priority 0; policy accept;\n");
        if (spoofer > 0) {
            rules.append("    ip saddr ").append(spoofedIp).append(" tcp dport ").append(Flows.port(spoofer))
                    .append(" counter name spooftcp\n");
            rules.append("    ip saddr ").append(spoofedIp).append(" icmp type echo-request counter name spoofping\n");
        }
        for (int k = 1; k <= topo.sites().size(); k++) {
            rules.append("    ip saddr ").append(MultiPeerTopology.ownSubnet(k)).append(" counter name site")
                    .append(k).append('\n');
        }
        rules.append("  }\n}\n");
        Shell.run("sh", "-c", "ip netns exec " + ns + " nft -f - <<'EOF'\n" + rules + "EOF\n");
        return new ServerCounters(topo);
    }

    /** Every counter now, by name. */
    public Map<String, Count> read() {
        String out = Shell.runIn(topo.serverNs(), "nft", "list", "counters", "table", "ip", TABLE);
        Map<String, Count> m = new LinkedHashMap<>();
        Matcher x = COUNTER.matcher(out);
        while (x.find()) {
            m.put(x.group(1), new Count(Long.parseLong(x.group(2)), Long.parseLong(x.group(3))));
        }
        return m;
    }

    /** Bytes that arrived from site k by now. */
    public long siteBytes(Map<String, Count> snapshot, int k) {
        Count c = snapshot.get("site" + k);
        return c == null ? 0 : c.bytes();
    }

    /** Reads the counters every {@code periodMillis} on its own thread until closed: a time series of bytes. */
    public final class Sampler implements AutoCloseable {
        private final List<Long> times = new ArrayList<>();
        private final List<Map<String, Count>> samples = new ArrayList<>();
        private final Thread thread;
        private volatile boolean stop;

        Sampler(long periodMillis, long t0Nanos) {
            thread = new Thread(() -> {
                long next = System.nanoTime();
                while (!stop) {
                    Map<String, Count> s;
                    long before = System.nanoTime();
                    try {
                        s = read();
                    } catch (dev.multipath.lab.LabException e) {
                        return; // the namespace is gone (closing)
                    }
                    synchronized (this) {
                        // nft takes a while to start on a busy machine: the midpoint is the best guess of when
                        // it read the counters
                        times.add((before + System.nanoTime()) / 2 - t0Nanos);
                        samples.add(s);
                    }
                    next += periodMillis * 1_000_000L;
                    long sleep = (next - System.nanoTime()) / 1_000_000L;
                    if (sleep > 0) {
                        try {
                            Thread.sleep(sleep);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }, "mpq-counters");
            thread.setDaemon(true);
            thread.start();
        }

        /** Seconds since t0 of each sample. */
        public synchronized double[] seconds() {
            return times.stream().mapToDouble(t -> t / 1e9).toArray();
        }

        /** Mbit/s from site k between consecutive samples (one value per sample after the first). */
        public synchronized double[] siteMbit(int k) {
            double[] out = new double[Math.max(0, samples.size() - 1)];
            for (int i = 1; i < samples.size(); i++) {
                double dt = (times.get(i) - times.get(i - 1)) / 1e9;
                out[i - 1] = (siteBytes(samples.get(i), k) - siteBytes(samples.get(i - 1), k)) * 8 / dt / 1e6;
            }
            return out;
        }

        /** Bytes from site k between the first sample at or after {@code fromSec} and the last sample. */
        public synchronized long siteBytesAfter(int k, double fromSec) {
            for (int i = 0; i < samples.size(); i++) {
                if (times.get(i) / 1e9 >= fromSec) {
                    return siteBytes(samples.get(samples.size() - 1), k) - siteBytes(samples.get(i), k);
                }
            }
            return 0;
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts sampling every {@code periodMillis}, times relative to {@code t0Nanos}. */
    public Sampler sample(long periodMillis, long t0Nanos) {
        return new Sampler(periodMillis, t0Nanos);
    }
}
