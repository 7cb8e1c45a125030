package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ProtocolNumbersTest {

    @ParameterizedTest
    @ValueSource(ints = {253, 254, 3, 99, 200})
    void experimentalAndUnusedNumbersAreAccepted(int p) {
        assertThat(ProtocolNumbers.check(p)).isEqualTo(p);
    }

    @Test
    void tcpAndUdpAreRefusedByName() {
        assertThatThrownBy(() -> ProtocolNumbers.check(6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 is TCP").hasMessageContaining("253 or 254");
        assertThatThrownBy(() -> ProtocolNumbers.check(17)).hasMessageContaining("UDP");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 4, 41, 47, 50, 51, 58, 132, 255})
    void protocolsTheStackHandlesAreRefused(int p) {
        assertThatThrownBy(() -> ProtocolNumbers.check(p)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 256, 65536})
    void outOfRangeIsRefused(int p) {
        assertThatThrownBy(() -> ProtocolNumbers.check(p)).hasMessageContaining("outside 0..255");
    }

    @Test
    void factoriesValidateBeforeAnythingIsOpened() throws Exception {
        InetAddress a4 = InetAddress.getByName("10.0.0.1");
        InetAddress b4 = InetAddress.getByName("10.0.0.2");
        InetAddress a6 = InetAddress.getByName("fd00::1");
        assertThatThrownBy(() -> RawIpTransport.connect(a4, b4, 17)).hasMessageContaining("UDP");
        assertThatThrownBy(() -> RawIpTransport.connect(a4, a6, 253)).hasMessageContaining("mixes address families");
        assertThatThrownBy(() -> RawIpTransport.connect(a4, InetAddress.getByName("0.0.0.0"), 253))
                .hasMessageContaining("wildcard");
        assertThatThrownBy(() -> RawIpTransport.connect(a6, a6, 253, 1279)).hasMessageContaining("1280..65535");
        assertThatThrownBy(() -> RawIpTransport.listen(a4, 253, 1500, 0)).hasMessageContaining("1..1048576");
    }

    @Test
    void sizesFollowTheFamily() throws Exception {
        RawIpTransport v4 = RawIpTransport.connect(InetAddress.getByName("10.0.0.1"),
                InetAddress.getByName("10.0.0.2"), RawIpTransport.DEFAULT_PROTOCOL);
        RawIpTransport v6 = RawIpTransport.listen(InetAddress.getByName("::"), 254, 9000, 16);
        assertThat(v4.kind()).isEqualTo("rawip");
        assertThat(v4.wireOverhead()).isEqualTo(20);
        assertThat(v4.maxFrameSize()).isEqualTo(1480);
        assertThat(v4.protocol()).isEqualTo(253);
        assertThat(v6.wireOverhead()).isEqualTo(40);
        assertThat(v6.maxFrameSize()).isEqualTo(8960);
        v4.close(); // never started: nothing to release
        v6.close();
    }
}
