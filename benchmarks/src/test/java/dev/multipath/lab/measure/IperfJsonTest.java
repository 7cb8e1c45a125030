package dev.multipath.lab.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IperfJsonTest {
    private static final String JSON = """
            {"start":{},"intervals":[{"sum":{"seconds":0.5,"bits_per_second":1.0e6}},
                                     {"sum":{"seconds":0.5,"bits_per_second":2.0e6}}],
             "end":{"streams":[{"sender":{"mean_rtt":25000}}],"sum_sent":{"retransmits":7},
                    "sum_received":{"bits_per_second":9.5e6}},
             "server_output_json":{"intervals":[{"sum":{"seconds":0.5,"bits_per_second":3.0e6}},
                                                {"sum":{"seconds":0.5,"bits_per_second":4.0e6}},
                                                {"sum":{"seconds":0.5,"bits_per_second":5.0e6}}],
                                   "end":{"streams":[{"sender":{"mean_rtt":40000}}],"sum_sent":{"retransmits":3}}}}
            """;

    @Test
    void outboundTakesIntervalsFromTheServerAndRttFromTheClient() {
        FlowResult f = IperfJson.parse(JSON, false);
        assertThat(f.completed()).isTrue();
        assertThat(f.goodputMbit()).isEqualTo(9.5);
        assertThat(f.intervalsMbit()).containsExactly(3, 4, 5);
        assertThat(f.meanRttMs()).isEqualTo(25);
        assertThat(f.retransmits()).isEqualTo(7);
    }

    @Test
    void inboundTakesIntervalsFromTheClientAndRttFromTheServer() {
        FlowResult f = IperfJson.parse(JSON, true);
        assertThat(f.intervalsMbit()).containsExactly(1, 2);
        assertThat(f.meanRttMs()).isEqualTo(40);
        assertThat(f.retransmits()).isEqualTo(3);
    }

    @Test
    void errorsAndGarbageBecomeFailedResults() {
        assertThat(IperfJson.parse("{\"error\":\"unable to connect\"}", false).error()).isEqualTo("unable to connect");
        assertThat(IperfJson.parse("not json", false).completed()).isFalse();
        assertThat(IperfJson.parse("", false).completed()).isFalse();
    }

    @Test
    void pingSummaryIsParsed() {
        PingProbe.Result r = PingProbe.parse("""
                10 packets transmitted, 9 received, 10% packet loss, time 1805ms
                rtt min/avg/max/mdev = 20.309/24.378/40.594/8.107 ms
                """);
        assertThat(r.avgMs()).isEqualTo(24.378);
        assertThat(r.maxMs()).isEqualTo(40.594);
        assertThat(r.lossPct()).isEqualTo(10);
    }
}
