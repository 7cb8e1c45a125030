package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class SockAddrTest {

    @Test
    void ipv4RoundTripsWithItsKey() throws Exception {
        InetAddress a = InetAddress.getByName("10.198.1.200");
        ByteBuffer sa = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
        assertThat(SockAddr.write(sa, a)).isEqualTo(16);
        assertThat(SockAddr.family(sa)).isEqualTo(LinuxConstants.AF_INET);
        assertThat(SockAddr.address(sa, false)).isEqualTo(a);
        assertThat(SockAddr.keyHi(sa, false)).isZero();
        assertThat(SockAddr.keyLo(sa, false)).isEqualTo(0x0AC601C8L);
        assertThat(SockAddr.encode(a)).hasSize(16);
    }

    @Test
    void ipv6RoundTripsIncludingMappedAndLinkLocal() throws Exception {
        ByteBuffer sa = ByteBuffer.allocateDirect(SockAddr.MAX_LEN);
        InetAddress a = InetAddress.getByName("fd00:198:1::2");
        assertThat(SockAddr.write(sa, a)).isEqualTo(28);
        assertThat(SockAddr.family(sa)).isEqualTo(LinuxConstants.AF_INET6);
        assertThat(SockAddr.address(sa, true)).isEqualTo(a);
        assertThat(SockAddr.keyHi(sa, true)).isEqualTo(0xfd00019800010000L);
        assertThat(SockAddr.keyLo(sa, true)).isEqualTo(2L);

        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[15] = 1;
        sa.put(8, mapped);
        assertThat(SockAddr.address(sa, true)).isInstanceOf(Inet6Address.class);

        Inet6Address ll = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 7);
        SockAddr.write(sa, ll);
        assertThat(((Inet6Address) SockAddr.address(sa, true)).getScopeId()).isEqualTo(7);
    }
}
