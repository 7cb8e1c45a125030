package dev.multipath.lab.measure;

import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples interface byte counters inside one namespace every 0.1 s, for rates over time at a finer grain than iperf3
 * reports: a bash loop (started in the namespace, stopped by PID) that reads {@code /sys/class/net/IF/statistics/
 * tx_bytes} of each interface and stamps each line with {@code $EPOCHREALTIME}, the same wall clock as
 * {@link System#currentTimeMillis()}, so that samples line up with events the lab timed. No process is spawned per
 * sample except {@code sleep}. Not thread-safe.
 */
public final class RateSampler implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final ProcessGroup.Started process;
    private final int interfaces;

    /** One sample: wall-clock time in epoch microseconds and the counters, in the order the interfaces were given. */
    public record Sample(long epochMicros, long[] bytes) {
    }

    private RateSampler(ProcessGroup.Started process, int interfaces) {
        this.process = process;
        this.interfaces = interfaces;
    }

    /** Starts sampling the transmitted bytes of {@code devices} in {@code ns} every {@code periodSec}. */
    public static RateSampler start(Topology topo, String ns, List<String> devices, double periodSec) {
        StringBuilder reads = new StringBuilder();
        for (String d : devices) {
            if (!d.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("bad interface name " + d);
            }
            reads.append(" read -r b < /sys/class/net/").append(d).append("/statistics/tx_bytes; line=\"$line $b\";");
        }
        String script = "while :; do line=$EPOCHREALTIME;" + reads + " echo \"$line\"; sleep "
                + String.format(java.util.Locale.ROOT, "%.3f", periodSec) + "; done";
        ProcessGroup.Started p = topo.start("rates-" + SEQ.incrementAndGet(), ns, List.of("bash", "-c", script));
        return new RateSampler(p, devices.size());
    }

    /** Stops the loop and returns every complete sample, in time order. */
    public List<Sample> finish() {
        ProcessGroup.stop(process, 500);
        List<String> lines;
        try {
            lines = Files.readAllLines(process.log());
        } catch (IOException e) {
            throw new LabException("cannot read the counter samples: " + e.getMessage(), e);
        }
        List<Sample> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length != interfaces + 1) {
                continue; // the line being written when the loop was stopped, or an error message
            }
            try {
                long micros = Math.round(Double.parseDouble(f[0].replace(',', '.')) * 1e6);
                long[] b = new long[interfaces];
                for (int i = 0; i < interfaces; i++) {
                    b[i] = Long.parseLong(f[i + 1]);
                }
                out.add(new Sample(micros, b));
            } catch (NumberFormatException e) {
                // skip a malformed line
            }
        }
        return out;
    }

    @Override
    public void close() {
        ProcessGroup.stop(process, 500);
    }

    /**
     * Rates between consecutive samples: {@code [i][0]} = the interval's midpoint in seconds since
     * {@code originMicros}, {@code [i][1 + k]} = Mbit/s of interface k.
     */
    public static double[][] rates(List<Sample> samples, long originMicros) {
        List<double[]> out = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            double dt = (b.epochMicros() - a.epochMicros()) / 1e6;
            if (dt <= 0) {
                continue;
            }
            double[] row = new double[a.bytes().length + 1];
            row[0] = ((a.epochMicros() + b.epochMicros()) / 2.0 - originMicros) / 1e6;
            for (int k = 0; k < a.bytes().length; k++) {
                row[k + 1] = (b.bytes()[k] - a.bytes()[k]) * 8 / dt / 1e6;
            }
            out.add(row);
        }
        return out.toArray(double[][]::new);
    }
}
