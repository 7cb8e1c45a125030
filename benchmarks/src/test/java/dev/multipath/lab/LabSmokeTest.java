package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.report.DirectionRecord;
import dev.multipath.lab.report.LabResults;
import dev.multipath.lab.report.ReportWriter;
import dev.multipath.lab.report.ResultsJson;
import dev.multipath.lab.report.ScenarioRecord;
import dev.multipath.lab.scenario.Progress;
import dev.multipath.lab.scenario.RunOptions;
import dev.multipath.lab.scenario.ScenarioRunner;
import dev.multipath.lab.scenario.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CI smoke scenario (what {@code ./lab run smoke} does, one run per test): outputs exist and are sane. */
@Tag("netns")
class LabSmokeTest {

    @BeforeAll
    static void requireNetns() {
        NetnsSupport.require();
    }

    @Test
    void smokeScenarioProducesSaneResults(@TempDir Path out) {
        ScenarioRecord r = new ScenarioRunner(RunOptions.defaults().withRepeat(1),
                new Progress(System.out, 1, 40)).run(Scenarios.smoke());
        new ReportWriter(out, "LabSmokeTest", Scenarios.comparisonGroups(), false).add(r);

        assertThat(out.resolve("summary.md")).exists();
        assertThat(out.resolve("smoke.png")).exists();
        LabResults read = ResultsJson.read(out.resolve("results.json"));
        assertThat(read.scenarios()).hasSize(1);
        for (DirectionRecord d : read.scenarios().get(0).directions()) {
            double alone = d.baselines().get(0).measurement().medianMbit();
            assertThat(alone / 10).as("%s link alone / its rate", d.direction()).isBetween(0.90, 0.98);
            assertThat(d.tunnel().error()).as("%s tunnel", d.direction()).isNull();
            assertThat(d.ratio()).as("%s tunnel / link sum", d.direction()).isBetween(0.5, 1.0);
            // Receiver-side 0.5 s intervals of the flow (iperf3 trims partial ones at the ends).
            assertThat(d.tunnel().runs().get(0).intervalsMbit()).hasSizeGreaterThanOrEqualTo(5);
        }
        assertThat(Files.isRegularFile(out.resolve("results.json"))).isTrue();
    }
}
