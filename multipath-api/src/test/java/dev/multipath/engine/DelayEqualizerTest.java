package dev.multipath.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.buffer.Packet;
import dev.multipath.sim.TestPackets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DelayEqualizerTest {

    private static final long MS = 1_000_000L;

    private static Packet packet(int length) {
        Packet p = new Packet(1500);
        byte[] ip = TestPackets.ipv4Udp(2, 5000, 6000, 0, length);
        System.arraycopy(ip, 0, p.data(), Packet.PAYLOAD_OFFSET, ip.length);
        p.setLength(ip.length);
        return p;
    }

    private static Packet tcp(int flags, int length) {
        Packet p = packet(length);
        byte[] d = p.data();
        int o = Packet.PAYLOAD_OFFSET;
        d[o + 9] = 6;
        d[o + 20 + 13] = (byte) flags;
        return p;
    }

    @Test
    void fullSizePacketsOfTheShortPathWaitForTheSpreadSmallOnesDoNot() {
        // The lab's three-unequal links: 8, 25 and 60 ms one way; the 8 ms path's data waits 52 ms, the 25 ms path's 35.
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(64, out::add);
        e.setOffset(1, 52 * MS);
        e.setOffset(2, 35 * MS);
        e.setOffset(3, 0);
        Packet data1 = packet(1400);
        Packet ack = packet(52);
        Packet data2 = packet(1400);
        Packet data3 = packet(1400);
        e.offer(data1, 1, 10, 0);
        e.offer(data2, 2, 11, 1 * MS);
        e.offer(data3, 3, 12, 2 * MS);
        assertThat(out).containsExactly(data3);
        e.offer(ack, 4, 13, 2 * MS); // another path, nothing held there: at once
        assertThat(out).containsExactly(data3, ack);
        assertThat(e.lowestHeldCounter()).isEqualTo(10);
        assertThat(e.nextDeadline()).isEqualTo(36 * MS);
        e.releaseDue(35 * MS);
        assertThat(out).hasSize(2);
        e.releaseDue(36 * MS);
        assertThat(out).containsExactly(data3, ack, data2);
        e.releaseDue(52 * MS);
        assertThat(out).containsExactly(data3, ack, data2, data1);
        assertThat(e.held()).isZero();
        assertThat(e.lowestHeldCounter()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aSmallPacketPassesHeldOnesOfItsPath() {
        // A ping behind a held data packet: it keeps its own path's latency (its flow is not the data's).
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(64, out::add);
        e.setOffset(1, 20 * MS);
        Packet data = packet(1400);
        Packet ping = packet(84);
        e.offer(data, 1, 1, 0);
        e.offer(ping, 1, 2, 5 * MS);
        assertThat(out).containsExactly(ping);
        e.releaseDue(20 * MS);
        assertThat(out).containsExactly(ping, data);
    }

    @Test
    void tcpSynsAreHeldLikeDataSoTheHandshakeSeesTheLongDelay() {
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(64, out::add);
        e.setOffset(1, 25 * MS);
        Packet syn = tcp(0x02, 60);
        Packet synAck = tcp(0x12, 60);
        Packet ack = tcp(0x10, 52);
        assertThat(DelayEqualizer.isTcpSyn(syn)).isTrue();
        assertThat(DelayEqualizer.isTcpSyn(synAck)).isTrue();
        assertThat(DelayEqualizer.isTcpSyn(ack)).isFalse();
        assertThat(DelayEqualizer.isTcpSyn(packet(60))).as("UDP").isFalse();
        e.offer(syn, 1, 1, 0);
        assertThat(out).isEmpty();
        e.releaseDue(25 * MS);
        assertThat(out).containsExactly(syn);
    }

    /** An IPv4 TCP segment with a 32-byte header (timestamps) and {@code payload} bytes of data. */
    private static Packet tcpSegment(int flags, int payload) {
        Packet p = tcp(flags, 20 + 32 + payload);
        p.data()[Packet.PAYLOAD_OFFSET + 20 + 12] = (byte) ((32 / 4) << 4);
        return p;
    }

    @Test
    void smallTcpDataSegmentsAreHeldLikeFullSizeOnesPureAcksAreNot() {
        // iperf3's 37-byte cookie opens its data connection: passed at once, its ACK gave the client's cubic a 14 ms
        // min RTT where the equalized path gives 36, and HyStart left slow start at cwnd 28 (lab rate-delay outbound).
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(64, out::add);
        e.setOffset(1, 25 * MS);
        Packet cookie = tcpSegment(0x18, 37); // PSH + ACK, 37 bytes of data
        Packet pureAck = tcpSegment(0x10, 0);
        Packet fin = tcpSegment(0x11, 0);
        assertThat(DelayEqualizer.isTcpSynOrData(cookie)).isTrue();
        assertThat(DelayEqualizer.isTcpSynOrData(tcpSegment(0x02, 0))).as("SYN").isTrue();
        assertThat(DelayEqualizer.isTcpSynOrData(pureAck)).isFalse();
        assertThat(DelayEqualizer.isTcpSynOrData(packet(89))).as("UDP").isFalse();
        e.offer(cookie, 1, 1, 0);
        e.offer(pureAck, 1, 2, 1 * MS);
        e.offer(fin, 1, 3, 2 * MS);
        assertThat(out).containsExactly(pureAck, fin);
        e.releaseDue(24 * MS);
        assertThat(out).containsExactly(pureAck, fin);
        e.releaseDue(25 * MS);
        assertThat(out).containsExactly(pureAck, fin, cookie);
    }

    @Test
    void pathsOfEqualDelayHoldNothingAndOffsetsBeyondTheCapAreNotApplied() {
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(64, out::add);
        e.setOffset(1, 0);
        e.setOffset(2, DelayEqualizer.MAX_OFFSET_NANOS + 1);
        e.setOffset(3, DelayEqualizer.MIN_OFFSET_NANOS - 1); // min RTT noise between equal links
        e.offer(packet(1400), 1, 1, 0);
        e.offer(packet(1400), 2, 2, 0);
        e.offer(packet(1400), 3, 3, 0);
        assertThat(out).hasSize(3);
        assertThat(e.held()).isZero();
    }

    @Test
    void aFullRingReleasesItsOldestEarly() {
        List<Packet> out = new ArrayList<>();
        DelayEqualizer e = new DelayEqualizer(4, out::add);
        e.setOffset(1, 50 * MS);
        List<Packet> in = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Packet p = packet(1400);
            in.add(p);
            e.offer(p, 1, i, i * MS);
        }
        assertThat(out).containsExactly(in.get(0), in.get(1));
        e.flush();
        assertThat(out).containsExactlyElementsOf(in);
    }

    /**
     * Packets on several paths with random offsets (changed now and then), sizes and arrival times: every packet is
     * released exactly once, never before it arrived; small ones at once; full-size ones in arrival order per path and
     * never later than their arrival plus the largest offset they or an earlier packet of their path were given.
     */
    @Property(tries = 200)
    void onceInPathOrderNeverEarlyNeverPastTheOffset(@ForAll @IntRange(min = 1, max = 4) int paths,
            @ForAll @IntRange(min = 1, max = 400) int n, @ForAll @LongRange(max = 10_000) long seed) {
        Random rnd = new Random(seed);
        List<Packet> out = new ArrayList<>();
        List<Long> outAt = new ArrayList<>();
        long[] clock = {0};
        DelayEqualizer e = new DelayEqualizer(4096, p -> {
            out.add(p);
            outAt.add(clock[0]);
        });
        Map<Packet, long[]> info = new IdentityHashMap<>(); // {path, arrival, latest allowed release, order on path}
        long[] maxOffset = new long[paths];
        long[] orderOnPath = new long[paths];
        long[] lastLimit = new long[paths];
        for (int i = 0; i < n; i++) {
            long target = clock[0] + rnd.nextInt(3 * (int) MS);
            while (e.nextDeadline() <= target) { // the writer wakes at every deadline
                clock[0] = Math.max(clock[0], e.nextDeadline());
                e.releaseDue(clock[0]);
            }
            clock[0] = target;
            if (rnd.nextInt(20) == 0) {
                int path = rnd.nextInt(paths);
                long off = rnd.nextInt(60) * MS;
                e.setOffset(path, off);
                off = e.offset(path);
                maxOffset[path] = Math.max(maxOffset[path], off);
            }
            int path = rnd.nextInt(paths);
            boolean big = rnd.nextBoolean();
            Packet p = packet(big ? 1400 : 60);
            if (big) {
                long limit = Math.max(clock[0] + maxOffset[path], lastLimit[path]);
                lastLimit[path] = limit;
                info.put(p, new long[] {path, clock[0], limit, orderOnPath[path]++});
            } else {
                info.put(p, new long[] {path, clock[0], clock[0], -1}); // small: at once, in no path order
            }
            e.offer(p, path, i, clock[0]);
        }
        while (e.held() > 0) {
            clock[0] = e.nextDeadline();
            e.releaseDue(clock[0]);
        }
        assertThat(out).hasSize(n);
        assertThat(new IdentityHashMap<Packet, Boolean>() {
            {
                out.forEach(p -> put(p, true));
            }
        }).hasSize(n);
        long[] lastOrder = new long[paths];
        java.util.Arrays.fill(lastOrder, -1);
        for (int i = 0; i < out.size(); i++) {
            long[] x = info.get(out.get(i));
            int path = (int) x[0];
            if (x[3] >= 0) {
                assertThat(x[3]).as("path order of held packets").isGreaterThan(lastOrder[path]);
                lastOrder[path] = x[3];
            }
            assertThat(outAt.get(i)).as("not early").isGreaterThanOrEqualTo(x[1]);
            assertThat(outAt.get(i)).as("not past its offset").isLessThanOrEqualTo(x[2]);
        }
    }
}
