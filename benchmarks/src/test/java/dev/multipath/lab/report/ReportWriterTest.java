package dev.multipath.lab.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.scenario.Scenarios;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.LinkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outputs from synthetic results: no root needed. */
class ReportWriterTest {

    private static RunRecord run(double g, double... intervals) {
        return new RunRecord(g, java.util.Arrays.stream(intervals).boxed().toList(), 0.5, 30.0, 1L, 31.0, 40.0, 0.0,
                null, null, List.of(9.0, 9.5), null);
    }

    private static ScenarioRecord scenario(String name) {
        Measurement tunnel = Measurement.of(List.of(run(18, 17, 18, 19), run(18.5, 18, 18, 19)));
        Measurement alone = Measurement.of(List.of(run(9.56, 9.5, 9.6, 9.6)));
        List<BaselineRecord> b = List.of(new BaselineRecord(1, "10M", List.of(1, 2), alone));
        DirectionRecord out = new DirectionRecord("outbound", tunnel, b, 20.0, 19.12, 0.9125, 0.95, 1.9);
        DirectionRecord in = new DirectionRecord("inbound", Measurement.failed("portals did not start"), b, 20.0,
                19.12, null, null, null);
        return new ScenarioRecord(name, "test", "tcp", "cubic", 2, List.of(LinkSpec.rate(10), LinkSpec.rate(10)),
                List.of(LinkEvent.down(1, 1), LinkEvent.restore(1.5, 1)), List.of(out, in), "now", 1.0);
    }

    @Test
    void writesJsonSummaryAndGraphs(@TempDir Path dir) throws Exception {
        ReportWriter w = new ReportWriter(dir, "test", Scenarios.comparisonGroups(), false);
        w.add(scenario("single"));
        w.add(scenario("two-equal"));
        assertThat(dir.resolve("single.png")).isNotEmptyFile();
        assertThat(dir.resolve("compare-equal-links.png")).isNotEmptyFile();
        assertThat(dir.resolve("ratios.png")).isNotEmptyFile();
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md).contains("| two-equal | 10M + 10M | outbound | tcp/cubic | 18.3 (18.0-18.5) | 2 |");
        assertThat(md).contains("not measured: portals did not start");
        LabResults r = ResultsJson.read(dir.resolve("results.json"));
        assertThat(r.scenarios()).hasSize(2);
        assertThat(r.scenarios().get(1).directions().get(0).tunnel().medianMbit()).isEqualTo(18.25);
        assertThat(Files.readString(dir.resolve("results.json"))).doesNotContain("NaN");
    }

    @Test
    void perTransportRunsGetTheirOwnGraphsAndAComparison(@TempDir Path dir) {
        ReportWriter w = new ReportWriter(dir, "test", Scenarios.comparisonGroups(), true);
        ScenarioRecord tcp = scenario("two-equal");
        ScenarioRecord udp = new ScenarioRecord(tcp.name(), tcp.description(), "udp", tcp.cc(), tcp.durationSec(),
                tcp.links(), tcp.events(), tcp.directions(), tcp.startedAt(), tcp.seconds());
        w.add(tcp);
        w.add(udp);
        assertThat(dir.resolve("two-equal-tcp.png")).isNotEmptyFile();
        assertThat(dir.resolve("two-equal-udp.png")).isNotEmptyFile();
        assertThat(dir.resolve("compare-transports.png")).isNotEmptyFile();
        assertThat(ResultsJson.read(dir.resolve("results.json")).scenarios()).extracting(ScenarioRecord::transport)
                .containsExactly("tcp", "udp");
    }

    @Test
    void perSchedulerRunsGetTheirOwnGraphsAndAComparison(@TempDir Path dir) throws Exception {
        ReportWriter w = new ReportWriter(dir, "test", Scenarios.comparisonGroups(), false, true);
        ScenarioRecord s = scenario("two-equal");
        for (String sched : List.of("greedy", "flow")) {
            w.add(new ScenarioRecord(s.name(), s.description(), "udp", s.cc(), s.durationSec(), s.links(), s.events(),
                    s.directions(), s.startedAt(), s.seconds(), sched));
        }
        assertThat(dir.resolve("two-equal-greedy.png")).isNotEmptyFile();
        assertThat(dir.resolve("two-equal-flow.png")).isNotEmptyFile();
        assertThat(dir.resolve("compare-schedulers.png")).isNotEmptyFile();
        assertThat(ResultsJson.read(dir.resolve("results.json")).scenarios()).extracting(ScenarioRecord::scheduler)
                .containsExactly("greedy", "flow");
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("| udp/cubic/greedy |")
                .contains("| 9.0 / 9.5 |");
    }
}
