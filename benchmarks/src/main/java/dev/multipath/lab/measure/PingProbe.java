package dev.multipath.lab.measure;

import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ping from the client to the server (5 per second) while a flow runs: latency under load. Start it, run the flow,
 * then {@link #finish()}. Not thread-safe.
 */
public final class PingProbe {
    private static final Pattern RTT = Pattern.compile("= ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");
    private static final Pattern LOSS = Pattern.compile("([\\d.]+)% packet loss");

    /** Result: average and maximum RTT in ms (NaN if no reply) and loss in percent. */
    public record Result(double avgMs, double maxMs, double lossPct) {
    }

    private final ProcessGroup.Started ping;

    private PingProbe(ProcessGroup.Started ping) {
        this.ping = ping;
    }

    /** Starts pinging from namespace {@code ns} to {@code target} for {@code seconds}. */
    public static PingProbe start(Topology topo, String ns, String target, int seconds, String name) {
        return new PingProbe(topo.start(name, ns, List.of("ping", "-q", "-n", "-i", "0.2", "-w",
                Integer.toString(seconds), target)));
    }

    /** Waits for ping to end (bounded) and parses its summary. */
    public Result finish() {
        try {
            if (!ping.process().waitFor(10, TimeUnit.SECONDS)) {
                ProcessGroup.stop(ping, 500);
            }
            return parse(Files.readString(ping.log()));
        } catch (IOException e) {
            return new Result(Double.NaN, Double.NaN, 100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Double.NaN, Double.NaN, 100);
        }
    }

    /** Parses ping's summary lines. */
    public static Result parse(String out) {
        Matcher r = RTT.matcher(out);
        Matcher l = LOSS.matcher(out);
        double loss = l.find() ? Double.parseDouble(l.group(1)) : 100;
        if (r.find()) {
            return new Result(Double.parseDouble(r.group(2)), Double.parseDouble(r.group(3)), loss);
        }
        return new Result(Double.NaN, Double.NaN, loss);
    }
}
