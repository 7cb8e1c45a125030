package dev.multipath.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.buffer.Packet;
import dev.multipath.sim.TestPackets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The schedulers kept for comparison: weighted round robin and per-flow pinning. */
class ComparisonSchedulersTest {

    private static Packet packet(int srcPort) {
        byte[] ip = TestPackets.ipv4Udp(2, srcPort, 53, srcPort, 200);
        Packet p = new Packet(1500);
        System.arraycopy(ip, 0, p.data(), Packet.PAYLOAD_OFFSET, ip.length);
        p.setLength(ip.length);
        return p;
    }

    private static int drain(dev.multipath.api.Scheduler s, EarliestArrivalSchedulerTest.Path path) {
        int n = 0;
        while (s.poll(path) != null) {
            n++;
        }
        return n;
    }

    @Test
    void weightedRoundRobinSplitsByMeasuredRate() {
        var slow = new EarliestArrivalSchedulerTest.Path(0, 1_000_000, 0, 0);
        var fast = new EarliestArrivalSchedulerTest.Path(1, 3_000_000, 0, 0);
        WeightedRoundRobinScheduler s = new WeightedRoundRobinScheduler(1024);
        s.addPath(slow);
        s.addPath(fast);
        for (int i = 0; i < 400; i++) {
            assertThat(s.offer(packet(1000))).isTrue();
        }
        assertThat(drain(s, slow)).isEqualTo(100);
        assertThat(drain(s, fast)).isEqualTo(300);
    }

    @Test
    void weightedRoundRobinMovesADeadPathsQueue() {
        var a = new EarliestArrivalSchedulerTest.Path(0, 1_000_000, 0, 0);
        var b = new EarliestArrivalSchedulerTest.Path(1, 1_000_000, 0, 0);
        WeightedRoundRobinScheduler s = new WeightedRoundRobinScheduler(1024);
        s.addPath(a);
        s.addPath(b);
        for (int i = 0; i < 10; i++) {
            s.offer(packet(1000));
        }
        a.usable = false;
        assertThat(s.poll(a)).isNull();
        assertThat(drain(s, b)).isEqualTo(10);
    }

    @Test
    void flowPinningKeepsEachFlowOnOnePathAndSpreadsFlows() {
        var a = new EarliestArrivalSchedulerTest.Path(0, 1_000_000, 0, 0);
        var b = new EarliestArrivalSchedulerTest.Path(1, 1_000_000, 0, 0);
        FlowPinningScheduler s = new FlowPinningScheduler(4096);
        s.addPath(a);
        s.addPath(b);
        Set<Integer> flowsOnA = new HashSet<>();
        Set<Integer> flowsOnB = new HashSet<>();
        for (int flow = 0; flow < 64; flow++) {
            for (int k = 0; k < 5; k++) {
                s.offer(packet(10_000 + flow));
            }
        }
        Packet p;
        while ((p = s.poll(a)) != null) {
            flowsOnA.add(port(p));
        }
        while ((p = s.poll(b)) != null) {
            flowsOnB.add(port(p));
        }
        assertThat(flowsOnA).doesNotContainAnyElementsOf(flowsOnB);
        assertThat(flowsOnA.size() + flowsOnB.size()).isEqualTo(64);
        assertThat(flowsOnA.size()).isBetween(16, 48);
    }

    private static int port(Packet p) {
        byte[] d = p.data();
        int o = Packet.PAYLOAD_OFFSET + 20;
        return ((d[o] & 0xff) << 8) | (d[o + 1] & 0xff);
    }
}
