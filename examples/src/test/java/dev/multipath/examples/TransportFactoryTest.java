package dev.multipath.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.multipath.api.Transport;
import dev.multipath.examples.config.TransportKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which listeners a remote portal opens (making a transport does no I/O: nothing is bound here). */
class TransportFactoryTest {

    @Test
    void rawIpOnTheIpv6WildcardListensOnBothFamilies() throws Exception {
        // An IPv6 raw socket never receives IPv4 datagrams, unlike dual-stack TCP and UDP sockets on [::].
        assertThat(TransportFactory.rawIpListenAddresses(InetAddress.getByName("::")))
                .containsExactly(InetAddress.getByName("::"), InetAddress.getByName("0.0.0.0"));
        List<Transport> raw = TransportFactory.listen(TransportKind.RAWIP, new InetSocketAddress("::", 4789), 1400);
        assertThat(raw).extracting(Transport::kind).containsExactly("rawip", "rawip");
        assertThat(raw).extracting(Transport::toString).containsExactly(
                "RawIpTransport[0:0:0:0:0:0:0:0 listening, protocol 253]",
                "RawIpTransport[0.0.0.0 listening, protocol 253]");
        assertThat(raw).extracting(Transport::wireOverhead).containsExactly(40, 20);
        assertThat(TransportFactory.listen(TransportKind.TCP, new InetSocketAddress("::", 4789), 1400)).hasSize(1);
        assertThat(TransportFactory.listen(TransportKind.UDP, new InetSocketAddress("::", 4789), 1400)).hasSize(1);
    }

    @Test
    void rawIpOnAnyOtherAddressListensOnThatAddressOnly() throws Exception {
        for (String address : new String[] {"0.0.0.0", "203.0.113.5", "2001:db8::5"}) {
            assertThat(TransportFactory.rawIpListenAddresses(InetAddress.getByName(address)))
                    .containsExactly(InetAddress.getByName(address));
        }
    }
}
