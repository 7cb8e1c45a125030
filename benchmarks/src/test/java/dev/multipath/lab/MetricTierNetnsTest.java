package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.tier.TierLab;
import dev.multipath.lab.tier.TierRun;
import dev.multipath.lab.topo.LinkEvent;
import dev.multipath.lab.topo.Topology;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Connection metrics end to end ({@code ./lab tiers}, short): a 20 Mbit primary (metric 0) and a 10 Mbit backup
 * (metric 1); one outbound TCP flow; the primary is cut at 3 s. The backup must stay (nearly) idle before the cut
 * and carry the flow after it. Thresholds leave wide margins for a busy 2-core machine: the lab measures the backup's
 * first traffic 0.2-1.5 s after the cut, the test allows 2.5 s; the backup carries ~10 Mbit/s after the cut, the test
 * asks for 2 on average and one second of at least 4 Mbit/s goodput (8.5-8.9 typical). A portal ignoring the metric puts ~10 Mbit/s on the backup before the cut; the test allows 2
 * (return traffic of the remote portal can land there, see docs/evaluation.md). Outbound only: the remote portal
 * does not always learn the backup's metric (documented), so inbound is measured by the lab, not asserted here.
 * Portals are started afresh for each cut.
 */
@Tag("netns")
class MetricTierNetnsTest {
    private static final int FLOW_SECONDS = 7;
    private static final double CUT_AT = 3;
    private static Topology topo;

    @BeforeAll
    static void setUp() {
        NetnsSupport.require();
        topo = Topology.create(TierLab.links());
    }

    @AfterAll
    static void tearDown() {
        if (topo != null) {
            topo.close();
        }
    }

    @Test
    void backupIdleUntilThePrimaryInterfaceGoesDownThenCarriesTheFlow() {
        check(LinkEvent.Kind.DOWN);
    }

    @Test
    void backupIdleUntilThePrimaryBlackHolesThenCarriesTheFlow() {
        check(LinkEvent.Kind.BLACKHOLE);
    }

    private static void check(LinkEvent.Kind cut) {
        TierRun r;
        try (Portals portals = Portals.start(topo, TierLab.settings("udp", null), 40)) {
            r = TierLab.run(topo, new IperfRunner(topo), cut, false, FLOW_SECONDS, CUT_AT, "cubic");
        }
        double backupAfter = r.series().stream().filter(x -> x[0] >= r.cutAtSec() + 1.5 && x[0] <= FLOW_SECONDS)
                .mapToDouble(x -> x[2]).average().orElse(0);
        // The best second of goodput after the cut (0.1 s intervals): one stall later in the flow (seen on a loaded
        // machine) does not hide that the backup carried it.
        double bestSecond = 0;
        List<Double> iv = r.intervalsMbit();
        for (int i = (int) Math.ceil(r.cutAtSec() / 0.1); i + 10 <= iv.size(); i++) {
            bestSecond = Math.max(bestSecond, iv.subList(i, i + 10).stream().mapToDouble(Double::doubleValue)
                    .average().orElse(0));
        }
        System.out.printf(Locale.ROOT, "tier %s: before the cut primary %.2f, backup %.3f Mbit/s; backup >= 10 %% after"
                + " %s, takeover %s; backup after %.2f Mbit/s, goodput after %.2f Mbit/s, best second %.2f;"
                + " flow %s%n", cut, r.primaryBeforeMbit(), r.backupBeforeMbit(), sec(r.firstBackupSec()),
                sec(r.takeoverSec()), backupAfter, r.goodputAfterMbit(), bestSecond,
                r.error() == null ? "completed" : "FAILED: " + r.error());
        assertThat(r.error()).as("the flow never resets").isNull();
        assertThat(r.primaryBeforeMbit()).as("primary carries the flow before the cut (Mbit/s)").isGreaterThan(8);
        assertThat(r.backupBeforeMbit()).as("backup (metric 1) before the cut (Mbit/s)").isLessThan(2);
        assertThat(r.firstBackupSec()).as("seconds from the cut to the backup's first traffic").isNotNull()
                .isLessThan(2.5);
        assertThat(backupAfter).as("backup Mbit/s from 1.5 s after the cut").isGreaterThan(2);
        assertThat(bestSecond).as("best second of goodput after the cut (Mbit/s)").isGreaterThan(4);
    }

    private static String sec(Double s) {
        return s == null ? "never" : String.format(Locale.ROOT, "%.2f s", s);
    }
}
