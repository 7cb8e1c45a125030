package dev.multipath.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.sim.TestPackets;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MssClampProperties {

    private static final int TUN_MTU = 1448;

    /**
     * Any TCP SYN over IPv4 or IPv6 with its options in any order and alignment: after clamping, the MSS is
     * min(announced, what fits the MTU), the checksum still verifies, and no other byte changed.
     */
    @Property(tries = 500)
    void lowersOnlyTheMssAndKeepsTheChecksumValid(@ForAll boolean ipv6, @ForAll @IntRange(min = 0, max = 65535) int mss,
            @ForAll @IntRange(min = 576, max = 9000) int mtu, @ForAll boolean synAck,
            @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        Random r = new Random(seed);
        byte[] pkt = syn(ipv6, mss, synAck, r);
        int at = 5 + r.nextInt(20); // somewhere inside a larger buffer
        byte[] buf = new byte[at + pkt.length + 7];
        System.arraycopy(pkt, 0, buf, at, pkt.length);
        byte[] before = buf.clone();

        boolean changed = MssClamp.clamp(buf, at, pkt.length, mtu);

        int limit = MssClamp.maxMss(mtu, ipv6);
        byte[] after = Arrays.copyOfRange(buf, at, at + pkt.length);
        assertThat(changed).isEqualTo(mss > limit);
        assertThat(mssOf(after, ipv6)).isEqualTo(Math.min(mss, limit));
        assertThat(TestPackets.tcpChecksumVerifies(after)).as("checksum after clamping").isTrue();
        int tcp = ipv6 ? 40 : 20;
        for (int i = 0; i < buf.length; i++) {
            int rel = i - at;
            boolean mssOrChecksum = rel == tcp + 16 || rel == tcp + 17 || rel == mssOffset(after, ipv6)
                    || rel == mssOffset(after, ipv6) + 1;
            if (!mssOrChecksum) {
                assertThat(buf[i]).as("byte %d", rel).isEqualTo(before[i]);
            }
        }
    }

    /** Packets that are not a TCP SYN are never changed, and no input throws. */
    @Property(tries = 1000)
    void leavesEverythingElseAloneAndNeverThrows(@ForAll @Size(max = 120) byte[] junk, @ForAll boolean ipv6,
            @ForAll @LongRange(min = 0, max = 1L << 40) long seed) {
        byte[] copy = junk.clone();
        MssClamp.clamp(copy, 0, copy.length, TUN_MTU); // must not throw, whatever it does

        Random r = new Random(seed);
        byte[] notSyn = syn(ipv6, 1460, false, r);
        int tcp = ipv6 ? 40 : 20;
        notSyn[tcp + 13] = 0x10; // ACK only
        byte[] before = notSyn.clone();
        assertThat(MssClamp.clamp(notSyn, 0, notSyn.length, TUN_MTU)).isFalse();
        assertThat(notSyn).isEqualTo(before);

        // A SYN cut short inside its options is left alone.
        byte[] syn = syn(ipv6, 1460, false, r);
        byte[] cut = Arrays.copyOf(syn, tcp + 21);
        byte[] cutBefore = cut.clone();
        MssClamp.clamp(cut, 0, cut.length, TUN_MTU);
        assertThat(cut).isEqualTo(cutBefore);
    }

    @Test
    void aLaterIpv4FragmentAndUdpAreNotTouched() {
        byte[] syn = syn(false, 1460, false, new Random(1));
        byte[] fragment = syn.clone();
        fragment[7] = 8; // fragment offset 64 bytes: bytes at the TCP offset are not a TCP header
        assertThat(MssClamp.clamp(fragment, 0, fragment.length, TUN_MTU)).isFalse();
        byte[] udp = syn.clone();
        udp[9] = 17;
        assertThat(MssClamp.clamp(udp, 0, udp.length, TUN_MTU)).isFalse();
        assertThat(MssClamp.clamp(syn, 0, syn.length, TUN_MTU)).isTrue();
        assertThat(mssOf(syn, false)).isEqualTo(TUN_MTU - 40);
    }

    // --- building and checking packets (independently of the code under test) ---

    private static byte[] syn(boolean ipv6, int mss, boolean synAck, Random r) {
        ByteArrayOutputStream opts = new ByteArrayOutputStream();
        int[] order = {0, 1, 2, 3};
        for (int i = 3; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int kind : order) {
            for (int n = r.nextInt(3); n > 0; n--) {
                opts.write(1); // NOPs shift what follows to any alignment
            }
            switch (kind) {
                case 0 -> opts.writeBytes(new byte[] {2, 4, (byte) (mss >>> 8), (byte) mss});
                case 1 -> opts.writeBytes(new byte[] {3, 3, (byte) r.nextInt(15)});
                case 2 -> opts.writeBytes(new byte[] {4, 2});
                default -> {
                    byte[] ts = new byte[10];
                    r.nextBytes(ts);
                    ts[0] = 8;
                    ts[1] = 10;
                    opts.writeBytes(ts);
                }
            }
        }
        while (opts.size() % 4 != 0) {
            opts.write(0);
        }
        byte[] options = opts.toByteArray();
        int ipLen = ipv6 ? 40 : 20;
        int tcpLen = 20 + options.length;
        byte[] p = new byte[ipLen + tcpLen];
        if (ipv6) {
            p[0] = 0x60;
            p[4] = (byte) (tcpLen >>> 8);
            p[5] = (byte) tcpLen;
            p[6] = 6;
            p[7] = 64;
            for (int i = 8; i < 40; i++) {
                p[i] = (byte) r.nextInt(256);
            }
        } else {
            p[0] = 0x45;
            p[2] = (byte) (p.length >>> 8);
            p[3] = (byte) p.length;
            p[6] = 0x40; // DF
            p[8] = 64;
            p[9] = 6;
            for (int i = 12; i < 20; i++) {
                p[i] = (byte) r.nextInt(256);
            }
        }
        int t = ipLen;
        for (int i = 0; i < 12; i++) {
            p[t + i] = (byte) r.nextInt(256); // ports, sequence and acknowledgement numbers
        }
        p[t + 12] = (byte) ((tcpLen / 4) << 4);
        p[t + 13] = (byte) (synAck ? 0x12 : 0x02);
        p[t + 14] = (byte) 0xfa;
        System.arraycopy(options, 0, p, t + 20, options.length);
        TestPackets.setTcpChecksum(p);
        return p;
    }

    private static int mssOffset(byte[] p, boolean ipv6) {
        int t = ipv6 ? 40 : 20;
        int end = t + ((p[t + 12] >> 4) & 0xf) * 4;
        for (int i = t + 20; i < end; ) {
            int kind = p[i] & 0xff;
            if (kind == 1) {
                i++;
            } else if (kind == 2) {
                return i + 2;
            } else {
                i += p[i + 1] & 0xff;
            }
        }
        throw new AssertionError("no MSS option");
    }

    private static int mssOf(byte[] p, boolean ipv6) {
        int at = mssOffset(p, ipv6);
        return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
    }
}
