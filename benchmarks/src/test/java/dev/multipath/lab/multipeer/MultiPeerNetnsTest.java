package dev.multipath.lab.multipeer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.lab.NetnsSupport;
import dev.multipath.lab.multipeer.MultiPeerResults.PeerFlow;
import dev.multipath.lab.multipeer.MultiPeerResults.RemovalResult;
import dev.multipath.lab.multipeer.MultiPeerResults.SpoofResult;
import dev.multipath.lab.topo.LinkSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10 end to end, short: three local portals (two 10 Mbit links each, their own clients) and a spoofing fourth
 * on ONE remote portal process with three honest {@code [[peer]]} tables. All three sites' flows at once each get
 * well over half their own links' worth in both directions; the spoofer, although authenticated, gets nothing to
 * the server; removing a site from the config (SIGHUP) stops it and leaves the others' flows running. The removal
 * ends a site, so it runs last.
 *
 * <p>Thresholds are generous (a noisy 2-core machine runs five portal JVMs and six iperf3 processes): 0.6 of the
 * link sum where the lab measures 0.85-0.90, the best of up to three attempts; but a site that is starved, a spoofed
 * packet that reaches the server, or a removal that stalls the others fails every attempt.
 */
@Tag("netns")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiPeerNetnsTest {
    private static final int SECONDS = 5;
    private static final double MIN_RATIO = 0.6;
    private static MultiPeerLab lab;

    @BeforeAll
    static void setUp() {
        NetnsSupport.require();
        lab = MultiPeerLab.start(3, List.of(LinkSpec.rate(10), LinkSpec.rate(10)), "udp", 60);
        lab.concurrent(lab.honestSites(), false, 2, "cubic"); // warm-up: five fresh JVMs compile their hot paths
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void threeSitesAtOnceEachGetTheirOwnLinksWorthBothWays() {
        for (boolean inbound : new boolean[] {false, true}) {
            List<PeerFlow> best = null;
            for (int attempt = 1; attempt <= 3; attempt++) {
                List<PeerFlow> flows = lab.concurrent(lab.honestSites(), inbound, SECONDS, "cubic");
                System.out.printf("multipeer %s attempt %d: %s%n", inbound ? "inbound" : "outbound", attempt,
                        flows.stream().map(f -> String.format("%s %.2f Mbit/s (%.3f)%s", f.site(), f.goodputMbit(),
                                f.ratio(), f.error() == null ? "" : " " + f.error())).toList());
                for (int k : lab.honestSites()) {
                    PeerFlow f = flows.get(k - 1);
                    if (f.error() != null || f.ratio() <= MIN_RATIO) {
                        System.out.println("multipeer " + f.site() + " fell short; " + lab.diagnostics(k));
                    }
                }
                if (best == null || worst(flows) > worst(best)) {
                    best = flows;
                }
                if (worst(best) > MIN_RATIO) {
                    break;
                }
            }
            for (PeerFlow f : best) {
                assertThat(f.error()).as("%s %s", f.site(), f.direction()).isNull();
                assertThat(f.ratio()).as("%s %s: goodput / its link sum, all sites at once", f.site(),
                        f.direction()).isGreaterThan(MIN_RATIO);
            }
        }
    }

    private static double worst(List<PeerFlow> flows) {
        return flows.stream().mapToDouble(f -> f.error() == null ? f.ratio() : 0).min().orElse(0);
    }

    @Test
    @Order(2)
    void aSiteSendingWithAnotherSitesAddressGetsNothingThrough() {
        SpoofResult s = lab.spoof(4);
        System.out.printf("multipeer spoof: session %s, %d pings, %d packets into its tunnel, server got %d packets"
                + " / %d bytes, SOURCE_NOT_ALLOWED +%d, iperf3: %s%n", s.sessionEstablished(), s.pingsSent(),
                s.spooferTunPackets(), s.serverPackets(), s.serverBytes(), s.sourceNotAllowedDelta(), s.iperfError());
        assertThat(s.sessionEstablished()).as("the spoofer is an authenticated peer").isTrue();
        assertThat(s.spooferTunPackets()).as("packets the spoofer's portal sent into the tunnel").isGreaterThan(50);
        assertThat(s.serverPackets()).as("packets the server received from the spoofer").isZero();
        assertThat(s.serverBytes()).as("bytes the server received from the spoofer").isZero();
        assertThat(s.iperfError()).as("the spoofer's iperf3 must not connect").isNotNull();
        assertThat(s.sourceNotAllowedDelta()).as("SOURCE_NOT_ALLOWED drops at the remote portal")
                .isGreaterThanOrEqualTo(s.spooferTunPackets() / 2);
        assertThat(s.spooferPacketsWritten()).as("the spoofer's packets written to the remote's TUN").isZero();
    }

    @Test
    @Order(3)
    void removingOneSiteStopsItAndLeavesTheOthersRunning() {
        RemovalResult r = lab.removal(3, 8, 3.0, "cubic");
        System.out.printf("multipeer removal of %s at %.1f s (gone from status after %d ms): %.2f Mbit/s before, "
                + "%d bytes after; survivors min after %s, mean after %s%n", r.removed(), r.removeAtSec(),
                r.reloadMillis(), r.removedMbitBefore(), r.removedBytesAfter(), r.survivorMinAfterMbit(),
                r.survivorMeanAfterMbit());
        for (PeerFlow f : r.survivors()) {
            System.out.printf("multipeer removal: %s intervals %s%n", f.site(), Arrays.toString(f.intervalsMbit()));
        }
        assertThat(r.removedMbitBefore()).as("the removed site carried traffic before").isGreaterThan(3.0);
        assertThat(r.removedBytesAfter()).as("bytes from the removed site from 1 s after SIGHUP").isZero();
        assertThat(r.survivors()).hasSize(2);
        for (PeerFlow f : r.survivors()) {
            assertThat(f.error()).as("%s's flow", f.site()).isNull();
            assertThat(r.survivorMinAfterMbit().get(f.site())).as("%s: lowest 0.5 s interval after the removal",
                    f.site()).isNotNull().isGreaterThan(1.0);
            assertThat(r.survivorMeanAfterMbit().get(f.site())).as("%s: mean after the removal", f.site())
                    .isGreaterThan(0.35 * f.linkSumMbit()); // 0.59-0.90 measured, 0.58 on a starved machine
        }
    }
}
