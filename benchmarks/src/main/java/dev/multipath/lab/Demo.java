package dev.multipath.lab;

import dev.multipath.lab.report.BaselineRecord;
import dev.multipath.lab.report.DirectionRecord;
import dev.multipath.lab.report.ReportWriter;
import dev.multipath.lab.report.ScenarioRecord;
import dev.multipath.lab.scenario.Progress;
import dev.multipath.lab.scenario.RunOptions;
import dev.multipath.lab.scenario.Scenario;
import dev.multipath.lab.scenario.ScenarioRunner;
import dev.multipath.lab.topo.LinkSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./lab demo}: two 10 Mbit links, one outbound iperf3 flow through the portals and one through each link alone,
 * printed side by side with the ratio to the link sum, in under a minute.
 */
final class Demo {
    private static final int SECONDS = 8;

    private Demo() {
    }

    static int run(RunOptions base, Path out, String line) {
        LabMain.requireRoot();
        Scenario s = new Scenario("demo", "2 x 10 Mbit: one TCP flow through the portals vs each link alone",
                List.of(LinkSpec.rate(10), LinkSpec.rate(10)), List.of(), SECONDS, false);
        RunOptions opts = base.withRepeat(1).withDuration(SECONDS).withDirections(List.of("outbound"))
                .withEveryLink(true);
        ScenarioRecord r = new ScenarioRunner(opts, new Progress(System.out, 1, 40)).run(s);
        ReportWriter w = new ReportWriter(out, line, Map.of(), false);
        w.add(r);
        DirectionRecord d = r.directions().get(0);
        double sum = d.linkSumMbit();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-40s %10s %18s%n", "one TCP flow (" + opts.cc() + "), client -> server",
                "Mbit/s", "/ link sum " + (long) sum);
        for (BaselineRecord b : d.baselines()) {
            row("link " + b.link() + " alone (" + b.linkLabel() + ", no tunnel)", b.measurement().medianMbit(), sum);
        }
        row("both links through the portals (" + opts.transport() + ")", d.tunnel().medianMbit(), sum);
        if (d.ratioToBestLink() != null) {
            System.out.printf(Locale.ROOT, "tunnel / best single link: %.2f x%n", d.ratioToBestLink());
        }
        if (d.tunnel().error() != null) {
            System.out.println("tunnel not measured: " + d.tunnel().error());
        }
        System.out.println("graph: " + out.resolve("demo.png").toAbsolutePath());
        return d.tunnel().medianMbit() == null ? 1 : 0;
    }

    private static void row(String what, Double mbit, double sum) {
        System.out.printf(Locale.ROOT, "%-40s %10s %18s%n", what, mbit == null ? "-" : String.format(Locale.ROOT,
                "%.2f", mbit), mbit == null ? "-" : String.format(Locale.ROOT, "%.3f", mbit / sum));
    }
}
