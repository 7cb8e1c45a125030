package dev.multipath.sched;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.PathView;
import dev.multipath.buffer.Packet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GreedySchedulerTest {

    static final class FakePath implements PathView {
        final int id;
        final int metric;
        boolean usable = true;
        long rttNanos;

        FakePath(int id, int metric) {
            this.id = id;
            this.metric = metric;
        }

        @Override public int id() { return id; }
        @Override public String name() { return "p" + id; }
        @Override public int metric() { return metric; }
        @Override public boolean isUsable() { return usable; }
        @Override public long smoothedRttNanos() { return rttNanos; }
        @Override public long deliveryRateBytesPerSecond() { return 0; }
        @Override public long queuedBytes() { return 0; }
    }

    @Test
    void anyPreferredPathTakesPacketsInOrderAndTheQueueTailDrops() {
        GreedyScheduler s = new GreedyScheduler(4);
        FakePath a = new FakePath(0, 0);
        FakePath b = new FakePath(1, 0);
        s.addPath(a);
        s.addPath(b);
        List<Packet> offered = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Packet p = new Packet(100);
            if (s.offer(p)) {
                offered.add(p);
            }
        }
        assertThat(offered).hasSize(4);
        assertThat(s.poll(a)).isSameAs(offered.get(0));
        assertThat(s.poll(b)).isSameAs(offered.get(1));
        assertThat(s.queuedPackets()).isEqualTo(2);
    }

    private static Packet packet(int length) {
        Packet p = new Packet(1500);
        p.setLength(length);
        return p;
    }

    @Test
    void smallPacketsAtTheHeadOfAShortQueueWaitForAPathWithLessThanHalfTheRtt() {
        // The remote portal of the lab's three-unequal links (16, 50 and 120 ms RTT) sending the inner TCP's ACKs of
        // an outbound flow: a pure pull put them on the three paths evenly, and the local reorder buffer held each
        // behind the 120 ms path's (inner RTT ~120 ms instead of ~70).
        GreedyScheduler s = new GreedyScheduler(1024);
        FakePath fast = new FakePath(0, 0);
        FakePath middle = new FakePath(1, 0);
        FakePath slow = new FakePath(2, 0);
        fast.rttNanos = 16_000_000L;
        middle.rttNanos = 50_000_000L;
        slow.rttNanos = 120_000_000L;
        s.addPath(fast);
        s.addPath(middle);
        s.addPath(slow);
        for (int i = 0; i < 100; i++) { // a burst of 100 ACKs, 6.6 kB
            s.offer(packet(66));
        }
        assertThat(s.hasWork(slow)).isFalse();
        assertThat(s.poll(slow)).isNull();
        assertThat(s.poll(middle)).isNull();
        assertThat(s.hasWork(fast)).isTrue();
        assertThat(s.poll(fast)).isNotNull();
        // Full-size packets (data) go on any path, as before.
        while (s.poll(fast) != null) {
        }
        s.offer(packet(1400));
        assertThat(s.poll(slow)).isNotNull();
        // Small packets piling up beyond ~16 KiB: the faster path is behind, the others help.
        for (int i = 0; i < 300; i++) {
            s.offer(packet(66));
        }
        assertThat(s.poll(slow)).isNotNull();
        // Paths of similar RTT (no path has half another's): the pure pull.
        while (s.poll(fast) != null) {
        }
        fast.rttNanos = 40_000_000L;
        s.offer(packet(66));
        assertThat(s.poll(middle)).isNotNull();
        // A faster path that is not usable does not count: the 50 ms path is then the fastest one.
        fast.rttNanos = 16_000_000L;
        fast.usable = false;
        s.offer(packet(66));
        assertThat(s.poll(slow)).isNull();
        assertThat(s.poll(middle)).isNotNull();
    }

    @Test
    void higherMetricWaitsWhileALowerOneIsUsable() {
        GreedyScheduler s = new GreedyScheduler(8);
        FakePath primary = new FakePath(0, 0);
        FakePath backup = new FakePath(1, 5);
        s.addPath(primary);
        s.addPath(backup);
        s.offer(new Packet(10));
        assertThat(s.hasWork(backup)).isFalse();
        assertThat(s.poll(backup)).isNull();
        primary.usable = false;
        assertThat(s.hasWork(backup)).isTrue();
        assertThat(s.poll(backup)).isNotNull();
    }

    @Test
    void refusesPacketsWhenNoPathIsUsable() {
        GreedyScheduler s = new GreedyScheduler(8);
        FakePath p = new FakePath(0, 0);
        s.addPath(p);
        p.usable = false;
        assertThat(s.offer(new Packet(10))).isFalse();
        s.removePath(p);
        assertThat(s.offer(new Packet(10))).isFalse();
    }
}
