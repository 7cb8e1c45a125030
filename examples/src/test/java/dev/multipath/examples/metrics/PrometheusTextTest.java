package dev.multipath.examples.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multipath.api.DropReason;
import dev.multipath.api.PortalStatus;
import dev.multipath.api.Role;
import dev.multipath.examples.control.PortalInfo;
import dev.multipath.examples.control.StatusReport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static final long NOW = 5_000_000_000_000L;
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\[\\\\\"n]|[^\\\\\"\\n])*\",?)*})? (\\S+)");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)");

    private final String text = PrometheusText.render(report());

    private static ObjectNode report() {
        PortalStatus.Path dsl = new PortalStatus.Path(0, "dsl", "up", 0, "10.0.1.2:4789", 50, 52_000, 40, 41_000,
                1, NOW - 300_000_000L, 12_300_000L, 1_250_000L,
                new PortalStatus.Congestion("bbr", 14_600, 2_900, 1_250_000, 1_000_000, 900, 12, 1, 1, 2, 25, 40, 7));
        PortalStatus.Path lte = new PortalStatus.Path(1, "lte", "down", 10, "-", 0, 0, 0, 0, 2, 0, 0, 0);
        PortalStatus status = new PortalStatus(Role.LOCAL, "mp0", 90, 40, true, List.of(dsl, lte),
                Map.of(DropReason.REPLAY, 4L), PortalStatus.Reorder.NONE, List.of(),
                Map.of("superPacketsRead", 7L, "segmentsJoined", 300L));
        return StatusReport.build(status, new PortalInfo(Optional.empty(), Optional.empty(), NOW - 1_000_000_000L,
                Map.of("dsl", new PortalInfo.PathInfo("10.0.1.1", "tcp"))), NOW);
    }

    @Test
    void theTunDevicesCountersAreExported() {
        assertThat(text).contains("multipath_source_events_total{counter=\"superPacketsRead\"} 7\n")
                .contains("multipath_source_events_total{counter=\"segmentsJoined\"} 300\n")
                .contains("# TYPE multipath_source_events_total counter\n");
    }

    @Test
    void everyLineIsAWellFormedSampleOrComment() {
        assertThat(text).endsWith("\n");
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            Matcher comment = COMMENT.matcher(line);
            if (comment.matches()) {
                if (comment.group(1).equals("TYPE")) {
                    assertThat(comment.group(3)).isIn("counter", "gauge");
                    assertThat(typed.add(comment.group(2))).as("one TYPE per family: " + line).isTrue();
                    assertThat(comment.group(2).endsWith("_total")).isEqualTo(comment.group(3).equals("counter"));
                }
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            assertThat(sample.matches()).as("well-formed: " + line).isTrue();
            assertThat(typed).as("TYPE before samples: " + line).contains(sample.group(1));
            Double.parseDouble(sample.group(5));
        }
    }

    @Test
    void documentedNamesAndValues() {
        assertThat(lines()).contains(
                "multipath_path_up{path=\"dsl\"} 1",
                "multipath_path_up{path=\"lte\"} 0",
                "multipath_path_bytes_total{path=\"dsl\",direction=\"sent\"} 52000",
                "multipath_path_bytes_total{path=\"dsl\",direction=\"received\"} 41000",
                "multipath_path_packets_total{path=\"dsl\",direction=\"sent\"} 50",
                "multipath_path_packets_total{path=\"dsl\",direction=\"received\"} 40",
                "multipath_path_rtt_seconds{path=\"dsl\"} 0.0123",
                "multipath_path_rate_bytes_per_second{path=\"dsl\"} 1250000",
                "multipath_path_down_events_total{path=\"lte\"} 2",
                "multipath_path_silences_total{path=\"dsl\"} 2",
                "multipath_path_rescued_packets_total{path=\"dsl\"} 25",
                "multipath_path_ecn_marked_total{path=\"dsl\"} 7",
                "multipath_path_deaths_total{path=\"dsl\"} 1",
                "multipath_path_last_receive_age_seconds{path=\"dsl\"} 0.3",
                "multipath_path_info{path=\"dsl\",state=\"up\",transport=\"tcp\",local=\"10.0.1.1\",remote=\"10.0.1.2:4789\"} 1",
                "multipath_source_packets_total{direction=\"read\"} 90",
                "multipath_source_packets_total{direction=\"written\"} 40",
                "multipath_session_established 1",
                "multipath_uptime_seconds 1",
                "multipath_info{role=\"local\",interface=\"mp0\"} 1",
                "multipath_drops_total{reason=\"replay\"} 4",
                "multipath_drops_total{reason=\"queue_full\"} 0");
        assertThat(text).as("unmeasured values produce no sample, not a fake 0")
                .doesNotContain("multipath_path_rtt_seconds{path=\"lte\"}")
                .doesNotContain("multipath_path_loss_ratio");
        assertThat(lines().stream().filter(l -> l.startsWith("multipath_drops_total"))).hasSize(
                DropReason.values().length);
    }

    @Test
    void labelValuesAreEscaped() {
        StringBuilder out = new StringBuilder();
        PrometheusText.sample(out, "m", 1.5, "path", "a\"b\\c\nd");
        assertThat(out.toString()).isEqualTo("m{path=\"a\\\"b\\\\c\\nd\"} 1.5\n");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(1e20)).isEqualTo("1.0E20");
    }

    private List<String> lines() {
        return new ArrayList<>(List.of(text.split("\n")));
    }
}
