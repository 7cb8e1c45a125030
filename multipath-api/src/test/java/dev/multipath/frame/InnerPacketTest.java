package dev.multipath.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.sim.TestPackets;
import org.junit.jupiter.api.Test;

class InnerPacketTest {

    @Test
    void acceptsExactIpv4AndIpv6Packets() {
        byte[] v4 = TestPackets.ipv4Udp(1, 1, 2, 7, 100);
        assertThat(InnerPacket.isWellFormed(v4, 0, 100)).isTrue();
        byte[] v6 = new byte[60];
        v6[0] = 0x60;
        v6[5] = 20;
        assertThat(InnerPacket.isWellFormed(v6, 0, 60)).isTrue();
    }

    @Test
    void rejectsTruncatedExtendedAndUnknownVersions() {
        byte[] v4 = TestPackets.ipv4Udp(1, 1, 2, 7, 100);
        assertThat(InnerPacket.isWellFormed(v4, 0, 99)).isFalse();
        byte[] longer = java.util.Arrays.copyOf(v4, 101);
        assertThat(InnerPacket.isWellFormed(longer, 0, 101)).isFalse();
        v4[0] = 0x55;
        assertThat(InnerPacket.isWellFormed(v4, 0, 100)).isFalse();
        v4[0] = 0x44; // IHL below 5
        assertThat(InnerPacket.isWellFormed(v4, 0, 100)).isFalse();
        assertThat(InnerPacket.isWellFormed(new byte[0], 0, 0)).isFalse();
    }
}
