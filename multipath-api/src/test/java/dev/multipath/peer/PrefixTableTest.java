package dev.multipath.peer;

import dev.multipath.api.IpPrefix;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cryptokey routing: longest-prefix match over IPv4 and IPv6, by address and straight out of packets. */
class PrefixTableTest {

    private static final String A = "peer-a";
    private static final String B = "peer-b";
    private static final String C = "peer-c";

    private static byte[] addr(String text) throws Exception {
        return InetAddress.getByName(text).getAddress();
    }

    private static String v4(PrefixTable<String> t, String a) throws Exception {
        return t.lookup(addr(a), 0, true);
    }

    private static String v6(PrefixTable<String> t, String a) throws Exception {
        return t.lookup(addr(a), 0, false);
    }

    private static List<IpPrefix> prefixes(String... p) {
        return java.util.Arrays.stream(p).map(IpPrefix::parse).toList();
    }

    @Test
    void theLongestPrefixWinsWhateverTheOrderOfInsertion() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty()
                .with(A, prefixes("10.0.0.0/8"))
                .with(C, prefixes("10.1.2.128/25"))
                .with(B, prefixes("10.1.0.0/16"));
        assertThat(v4(t, "10.9.9.9")).isEqualTo(A);
        assertThat(v4(t, "10.1.9.9")).isEqualTo(B);
        assertThat(v4(t, "10.1.2.127")).isEqualTo(B);
        assertThat(v4(t, "10.1.2.128")).isEqualTo(C);
        assertThat(v4(t, "10.1.2.255")).isEqualTo(C);
        assertThat(v4(t, "11.0.0.1")).isNull();
        assertThat(v4(t, "9.255.255.255")).isNull();
    }

    @Test
    void hostRoutesAndTheDefaultRoute() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty()
                .with(A, prefixes("0.0.0.0/0", "::/0"))
                .with(B, prefixes("192.168.1.7", "fd00::7"));
        assertThat(v4(t, "192.168.1.7")).isEqualTo(B);
        assertThat(v4(t, "192.168.1.6")).isEqualTo(A);
        assertThat(v6(t, "fd00::7")).isEqualTo(B);
        assertThat(v6(t, "fd00::8")).isEqualTo(A);
    }

    @Test
    void ipv6PrefixesAreMatchedOnTheirOwn() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty()
                .with(A, prefixes("fd00:1::/64", "10.1.0.0/24"))
                .with(B, prefixes("fd00:1::/48", "fd00:2::/64"));
        assertThat(v6(t, "fd00:1::1")).isEqualTo(A);
        assertThat(v6(t, "fd00:1:0:1::1")).isEqualTo(B);
        assertThat(v6(t, "fd00:2::ffff")).isEqualTo(B);
        assertThat(v6(t, "fd00:3::1")).isNull();
        // 10.1.0.0/24 written as IPv6 bits would be 0a01:: — an IPv4 prefix never matches an IPv6 address.
        assertThat(v6(t, "a01::1")).isNull();
    }

    @Test
    void looksUpSourceAndDestinationOfPackets() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty()
                .with(A, prefixes("10.1.0.0/24", "fd00:1::/64"))
                .with(B, prefixes("10.2.0.0/24"));
        byte[] v4 = new byte[60];
        v4[0] = 0x45;
        System.arraycopy(addr("10.1.0.9"), 0, v4, 12, 4);
        System.arraycopy(addr("10.2.0.9"), 0, v4, 16, 4);
        assertThat(t.forSource(v4, 0, 60)).isEqualTo(A);
        assertThat(t.forDestination(v4, 0, 60)).isEqualTo(B);
        byte[] v6 = new byte[80];
        v6[0] = 0x60;
        System.arraycopy(addr("fd00:1::5"), 0, v6, 8, 16);
        System.arraycopy(addr("fd00:9::5"), 0, v6, 24, 16);
        assertThat(t.forSource(v6, 0, 80)).isEqualTo(A);
        assertThat(t.forDestination(v6, 0, 80)).isNull();
        assertThat(t.forDestination(new byte[] {0x45}, 0, 1)).as("too short").isNull();
        assertThat(t.forDestination(new byte[40], 0, 40)).as("not IP").isNull();
    }

    @Test
    void removingAPeerRemovesOnlyItsRoutesAndAClaimedPrefixMoves() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty()
                .with(A, prefixes("10.1.0.0/24"))
                .with(B, prefixes("10.2.0.0/24", "10.1.0.0/24")); // B takes over 10.1.0.0/24, as in WireGuard
        assertThat(v4(t, "10.1.0.1")).isEqualTo(B);
        assertThat(t.prefixesOf(A)).isEmpty();
        PrefixTable<String> u = t.without(B).with(A, prefixes("10.3.0.0/24"));
        assertThat(v4(u, "10.1.0.1")).isNull();
        assertThat(v4(u, "10.2.0.1")).isNull();
        assertThat(v4(u, "10.3.0.1")).isEqualTo(A);
        assertThat(v4(t, "10.2.0.1")).as("tables are immutable").isEqualTo(B);
    }

    @Test
    void parsesAndNormalisesPrefixes() {
        assertThat(IpPrefix.parse("10.1.0.7/24")).isEqualTo(IpPrefix.parse("10.1.0.0/24"));
        assertThat(IpPrefix.parse("10.1.0.7/24").toString()).isEqualTo("10.1.0.0/24");
        assertThat(IpPrefix.parse("fd00:1::/64").length()).isEqualTo(64);
        assertThat(IpPrefix.parse("10.0.0.1").length()).isEqualTo(32);
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> IpPrefix.parse("example.com/8")).hasMessageContaining("not an IP prefix");
        assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    }

    @Test
    void lookupAllocatesNothing() throws Exception {
        PrefixTable<String> t = PrefixTable.<String>empty().with(A, prefixes("10.1.0.0/24", "fd00:1::/64"));
        byte[] packet = new byte[60];
        packet[0] = 0x45;
        System.arraycopy(addr("10.1.0.9"), 0, packet, 16, 4);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management
                .ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            t.forDestination(packet, 0, 60); // warm up
        }
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        int hits = 0;
        for (int i = 0; i < 100_000; i++) {
            if (t.forDestination(packet, 0, 60) != null) {
                hits++;
            }
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(hits).isEqualTo(100_000);
        assertThat(allocated).isLessThan(10_000);
    }
}
