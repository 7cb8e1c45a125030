package dev.multipath.lab.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** iperf3 UDP JSON (the shape of iperf 3.12's {@code -u -J}) into loss figures. */
class UdpResultTest {

    @Test
    void readsTheReceiversLossFromTheEndSum() {
        String json = """
                {"start": {}, "intervals": [],
                 "end": {"sum": {"seconds": 10.0, "bytes": 2500000, "bits_per_second": 2000000.0,
                                 "jitter_ms": 0.05, "lost_packets": 12, "packets": 10000, "lost_percent": 0.12},
                         "sum_received": {"bits_per_second": 1997600.0}}}
                """;
        UdpResult r = UdpResult.parse(json);
        assertThat(r.completed()).isTrue();
        assertThat(r.packets()).isEqualTo(10000);
        assertThat(r.lost()).isEqualTo(12);
        assertThat(r.lossPct()).isEqualTo(0.12);
        assertThat(r.goodputMbit()).isEqualTo(1.9976);
    }

    @Test
    void anErrorOrGarbageIsAFailedResultNotAnException() {
        assertThat(UdpResult.parse("{\"error\": \"unable to connect\"}").error()).isEqualTo("unable to connect");
        assertThat(UdpResult.parse("not json").completed()).isFalse();
        assertThat(UdpResult.parse("{\"end\": {}}").completed()).isFalse();
    }
}
