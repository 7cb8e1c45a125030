package dev.multipath.lab.multipeer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.measure.FlowResult;
import dev.multipath.lab.multipeer.MultiPeerResults.ConcurrentRun;
import dev.multipath.lab.multipeer.MultiPeerResults.PeerFlow;
import dev.multipath.lab.multipeer.MultiPeerResults.SiteSummary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multipeer lab's arithmetic, without namespaces: medians per site, the intervals judged after a removal. */
class MultiPeerReportTest {

    private static PeerFlow flow(String site, String dir, double mbit, String error) {
        return new PeerFlow(site, dir, 20, mbit, mbit / 20, new double[] {mbit}, null, 0, error);
    }

    @Test
    void summaryTakesTheMedianPerSiteAndDirectionAndSkipsFailedRuns() {
        List<ConcurrentRun> runs = List.of(
                new ConcurrentRun("outbound", 1, List.of(flow("a", "outbound", 17, null),
                        flow("b", "outbound", 10, null)), 27, 0.675),
                new ConcurrentRun("outbound", 2, List.of(flow("a", "outbound", 18, null),
                        flow("b", "outbound", 0, "iperf3 died")), 18, 0.45),
                new ConcurrentRun("outbound", 3, List.of(flow("a", "outbound", 16, null),
                        flow("b", "outbound", 12, null)), 28, 0.7));
        List<SiteSummary> s = MultiPeerReport.summarize(runs, List.of(flow("a", "outbound", 18, null)));
        assertThat(s).hasSize(2);
        assertThat(s.get(0).site()).isEqualTo("a");
        assertThat(s.get(0).medianMbit()).isEqualTo(17.0);
        assertThat(s.get(0).medianRatio()).isEqualTo(0.85);
        assertThat(s.get(0).soloMbit()).isEqualTo(18.0);
        assertThat(s.get(1).runs()).isEqualTo(2);
        assertThat(s.get(1).medianMbit()).isEqualTo(11.0);
        assertThat(s.get(1).soloMbit()).isNull();
        assertThat(MultiPeerReport.markdown(new MultiPeerResults(1, "now", "m", "./lab multipeer", "udp", "cubic",
                10, List.of(), runs, s, List.of(), null, null, null, null))).contains("| a | outbound | 17.0 (16.0-18.0) | 3 |");
    }

    @Test
    void intervalsAfterARemovalStartAtTheNextWholeIntervalAndDropThePartialLastOne() {
        FlowResult f = new FlowResult(10, new double[] {1, 2, 3, 4, 5, 6, 0.1}, 0.5, 1, 0, null);
        assertThat(MultiPeerLab.afterRemoval(f, 1.2)).containsExactly(4, 5, 6);
        assertThat(MultiPeerLab.afterRemoval(f, 1.0)).containsExactly(3, 4, 5, 6);
        assertThat(MultiPeerLab.afterRemoval(f, 9.0)).isEmpty();
    }
}
