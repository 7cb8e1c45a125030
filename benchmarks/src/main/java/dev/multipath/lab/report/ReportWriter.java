package dev.multipath.lab.report;

import dev.multipath.lab.LabException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the output directory: results.json, summary.md and the PNG graphs, rewritten after every scenario so that an
 * interrupted run leaves everything measured so far. Not thread-safe.
 */
public final class ReportWriter {
    private final Path dir;
    private final String machine;
    private final String command;
    private final Map<String, List<String>> groups;
    private final boolean perTransport;
    private final boolean perScheduler;
    private final List<ScenarioRecord> scenarios = new ArrayList<>();

    /**
     * {@code groups}: comparison chart name to the scenario names it compares. {@code perTransport}: scenarios are
     * run once per transport; file names get the transport and a transport comparison chart is drawn.
     */
    public ReportWriter(Path dir, String command, Map<String, List<String>> groups, boolean perTransport) {
        this(dir, command, groups, perTransport, false);
    }

    /**
     * As above; {@code perScheduler}: scenarios are run once per scheduler; file names get the scheduler and a
     * scheduler comparison chart is drawn.
     */
    public ReportWriter(Path dir, String command, Map<String, List<String>> groups, boolean perTransport,
            boolean perScheduler) {
        this.dir = dir;
        this.perTransport = perTransport;
        this.perScheduler = perScheduler;
        this.command = command;
        this.groups = groups;
        this.machine = Machine.describe();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LabException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Adds one scenario's results and rewrites all outputs. */
    public void add(ScenarioRecord s) {
        scenarios.add(s);
        LabResults r = new LabResults(ResultsJson.SCHEMA, Instant.now().toString(), machine, command,
                List.copyOf(scenarios));
        ResultsJson.write(r, dir.resolve("results.json"));
        try {
            Files.writeString(dir.resolve("summary.md"), SummaryMarkdown.render(r));
        } catch (IOException e) {
            throw new LabException("cannot write summary.md: " + e.getMessage(), e);
        }
        Charts.timeSeries(s, dir.resolve(s.name() + (perTransport ? "-" + s.transport() : "")
                + (perScheduler ? "-" + s.schedulerLabel() : "") + ".png"));
        if (perScheduler) {
            Charts.schedulers(scenarios, dir.resolve("compare-schedulers.png"));
        }
        if (perTransport) {
            Charts.transports(scenarios, dir.resolve("compare-transports.png"));
        }
        if (perTransport || perScheduler) {
            return;
        }
        Map<String, ScenarioRecord> byName = new LinkedHashMap<>();
        scenarios.forEach(x -> byName.put(x.name(), x));
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            if (g.getValue().stream().filter(byName::containsKey).count() >= 2) {
                Charts.comparison("compare: " + g.getKey(), g.getValue(), byName,
                        dir.resolve("compare-" + g.getKey() + ".png"));
            }
        }
        if (scenarios.size() >= 2) {
            Charts.ratios(scenarios, dir.resolve("ratios.png"));
        }
    }

    public Path dir() {
        return dir;
    }
}
