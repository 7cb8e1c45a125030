package dev.multipath.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EcnMarkProperties {

    /**
     * Any IPv4 header (any length, options, DSCP and checksum state) anywhere in a buffer: an ECN-capable packet is
     * marked CE with its header checksum still valid, a CE packet stays as it is, a Not-ECT packet is refused, and
     * no byte but the ECN bits and the checksum ever changes.
     */
    @Property(tries = 1000)
    void ipv4MarksOnlyEcnCapablePacketsAndKeepsTheChecksumValid(@ForAll @IntRange(min = 5, max = 15) int ihl,
            @ForAll @IntRange(min = 0, max = 3) int ecn, @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Random r = new Random(seed);
        int headerLength = ihl * 4;
        byte[] pkt = new byte[headerLength + r.nextInt(64)];
        r.nextBytes(pkt);
        pkt[0] = (byte) (0x40 | ihl);
        pkt[1] = (byte) ((pkt[1] & 0xfc) | ecn);
        pkt[10] = 0;
        pkt[11] = 0;
        int checksum = ~sum(pkt, 0, headerLength) & 0xffff;
        pkt[10] = (byte) (checksum >>> 8);
        pkt[11] = (byte) checksum;
        int at = r.nextInt(9);
        byte[] buf = new byte[at + pkt.length + r.nextInt(5)];
        System.arraycopy(pkt, 0, buf, at, pkt.length);
        byte[] before = buf.clone();

        boolean marked = EcnMark.markCongestionExperienced(buf, at, pkt.length);

        assertThat(marked).isEqualTo(ecn != EcnMark.NOT_ECT);
        assertThat(EcnMark.field(buf, at, pkt.length)).isEqualTo(marked ? EcnMark.CE : EcnMark.NOT_ECT);
        assertThat(sum(buf, at, headerLength)).as("ones' complement sum of the header").isEqualTo(0xffff);
        assertThat(buf[at + 1] & 0xfc).as("DSCP").isEqualTo(before[at + 1] & 0xfc);
        for (int i = 0; i < buf.length; i++) {
            int rel = i - at;
            if (rel != 1 && rel != 10 && rel != 11) {
                assertThat(buf[i]).as("byte %d", rel).isEqualTo(before[i]);
            }
        }
        if (ecn == EcnMark.NOT_ECT || ecn == EcnMark.CE) {
            assertThat(buf).isEqualTo(before);
        }
    }

    /** IPv6: the ECN bits of the traffic class become CE on an ECN-capable packet; nothing else changes. */
    @Property(tries = 300)
    void ipv6MarksOnlyTheEcnBits(@ForAll @IntRange(min = 0, max = 3) int ecn,
            @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Random r = new Random(seed);
        byte[] pkt = new byte[40 + r.nextInt(64)];
        r.nextBytes(pkt);
        pkt[0] = (byte) (0x60 | (pkt[0] & 0x0f));
        pkt[1] = (byte) ((pkt[1] & 0xcf) | (ecn << 4));
        byte[] before = pkt.clone();

        boolean marked = EcnMark.markCongestionExperienced(pkt, 0, pkt.length);

        assertThat(marked).isEqualTo(ecn != EcnMark.NOT_ECT);
        assertThat(EcnMark.field(pkt, 0, pkt.length)).isEqualTo(marked ? EcnMark.CE : EcnMark.NOT_ECT);
        assertThat(pkt[1] & 0xcf).isEqualTo(before[1] & 0xcf);
        for (int i = 0; i < pkt.length; i++) {
            if (i != 1) {
                assertThat(pkt[i]).as("byte %d", i).isEqualTo(before[i]);
            }
        }
    }

    /** Whatever the bytes, marking never throws, and a packet it refuses is left exactly as it was. */
    @Property(tries = 1000)
    void junkIsRefusedUntouchedOrMarkedNeverThrows(@ForAll @Size(max = 80) byte[] junk) {
        byte[] copy = junk.clone();
        boolean marked = EcnMark.markCongestionExperienced(copy, 0, copy.length);
        if (!marked) {
            assertThat(copy).isEqualTo(junk);
        } else {
            assertThat(EcnMark.field(copy, 0, copy.length)).isEqualTo(EcnMark.CE);
        }
    }

    @Test
    void aTruncatedHeaderIsNotAPacket() {
        byte[] ipv4 = new byte[19];
        ipv4[0] = 0x45;
        ipv4[1] = EcnMark.ECT_0;
        assertThat(EcnMark.field(ipv4, 0, ipv4.length)).isEqualTo(-1);
        assertThat(EcnMark.markCongestionExperienced(ipv4, 0, ipv4.length)).isFalse();
        byte[] longHeader = new byte[40];
        longHeader[0] = 0x4f; // 60-byte header in a 40-byte packet
        longHeader[1] = EcnMark.ECT_0;
        assertThat(EcnMark.markCongestionExperienced(longHeader, 0, longHeader.length)).isFalse();
        byte[] ipv6 = new byte[39];
        ipv6[0] = 0x60;
        ipv6[1] = 0x20;
        assertThat(EcnMark.markCongestionExperienced(ipv6, 0, ipv6.length)).isFalse();
    }

    private static int sum(byte[] b, int off, int len) {
        int s = 0;
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return s;
    }
}
