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

        FakePath(int id, int metric) {
            this.id = id;
            this.metric = metric;
        }

        @Override public int id() { return id; }
        @Override public String name() { return "p" + id; }
        @Override public int metric() { return metric; }
        @Override public boolean isUsable() { return usable; }
        @Override public long smoothedRttNanos() { return 0; }
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
