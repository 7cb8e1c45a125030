package dev.multipath.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.measure.IperfRunner;
import dev.multipath.lab.portal.Portals;
import dev.multipath.lab.redundant.RedundantLab;
import dev.multipath.lab.redundant.RedundantLab.StreamRun;
import dev.multipath.lab.topo.Topology;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redundant mode end to end ({@code ./lab redundant}, short): two 10 Mbit links, link 2 drops 10 % at random; an
 * outbound UDP stream of 2 Mbit/s (1000 datagrams/s) to the iperf3 port, first through portals without
 * {@code [redundant]}, then with {@code ports = [5201]}. With redundancy the receiver must lose less than 1 % (the lab
 * measures ~0; the target is 0.1 %: the margin is for a busy machine's socket buffers), and the links together must
 * carry at least 1.5 times the bytes of the plain run (a copy on each path: ~1.9 times; without copies ~1).
 */
@Tag("netns")
class RedundantModeNetnsTest {
    private static final int SECONDS = 6;

    @Test
    void aStreamSentOnBothPathsSurvivesTenPercentLossOnOne() {
        NetnsSupport.require();
        try (Topology topo = Topology.create(RedundantLab.links())) {
            IperfRunner iperf = new IperfRunner(topo);
            StreamRun plain;
            try (Portals p = Portals.start(topo, RedundantLab.settings("udp", null, false), 40)) {
                plain = RedundantLab.stream(topo, iperf, false, SECONDS);
                if (plain.error() != null) {
                    // Seen once in CI (session 7): the plain stream never started, "iperf3 client did not finish in
                    // time" with both links idle: iperf3's own TCP control connection, whose packets are not copied in
                    // this run, met the lossy link (docs/evaluation.md, "(failed)"); 3 of 3 local reruns passed. The
                    // plain run is only the baseline for the wire rate, so it gets a second try.
                    System.out.printf(Locale.ROOT, "redundant mode: plain run failed (%s); again%n", plain.error());
                    plain = RedundantLab.stream(topo, iperf, false, SECONDS);
                }
            }
            StreamRun redundant;
            try (Portals p = Portals.start(topo, RedundantLab.settings("udp", null, true), 40)) {
                redundant = RedundantLab.stream(topo, iperf, false, SECONDS);
                if (redundant.error() != null || redundant.lossPct() >= 1.0) {
                    // Seen once in CI on a machine busy with other labs: 2.4 % lost in a burst (iperf3's receiver
                    // not scheduled), 0 on every rerun. A second run; redundancy that does not work loses ~5 % in
                    // both (every datagram on the lossy path without a copy).
                    System.out.printf(Locale.ROOT, "redundant mode: first run lost %d/%d (%.3f %%), error %s; again%n",
                            redundant.lost(), redundant.packets(), redundant.lossPct(), redundant.error());
                    redundant = RedundantLab.stream(topo, iperf, false, SECONDS);
                }
            }
            double plainWire = plain.linkMbit().stream().mapToDouble(Double::doubleValue).sum();
            double redundantWire = redundant.linkMbit().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "redundant mode: plain %d/%d lost (%.3f %%), links %s; redundant %d/%d lost"
                    + " (%.3f %%), links %s%n", plain.lost(), plain.packets(), plain.lossPct(), plain.linkMbit(),
                    redundant.lost(), redundant.packets(), redundant.lossPct(), redundant.linkMbit());
            assertThat(plain.error()).as("plain stream").isNull();
            assertThat(redundant.error()).as("redundant stream").isNull();
            assertThat(redundant.packets()).as("datagrams sent").isGreaterThan(SECONDS * 800L);
            assertThat(redundant.lossPct()).as("loss with redundant mode (%)").isLessThan(1.0);
            assertThat(redundantWire).as("wire Mbit/s of both links, redundant vs plain %.2f", plainWire)
                    .isGreaterThan(1.5 * plainWire);
        }
    }
}
