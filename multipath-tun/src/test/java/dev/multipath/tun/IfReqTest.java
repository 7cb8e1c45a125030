package dev.multipath.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class IfReqTest {

    @Test
    void nameIsNulTerminatedAtOffsetZeroAndUnionAtSixteen() throws IOException {
        ByteBuffer ifr = IfReq.allocate();
        assertThat(ifr.capacity()).isEqualTo(40);
        assertThat(ifr.order()).isEqualTo(ByteOrder.nativeOrder());
        // Dirty the struct first: setName must clear leftovers from a previous call.
        for (int i = 0; i < 40; i++) {
            ifr.put(i, (byte) 0x7f);
        }
        IfReq.setName(ifr, IfReq.validName("mpio7"));
        IfReq.setFlags(ifr, (short) (LinuxConstants.IFF_TUN | LinuxConstants.IFF_NO_PI));
        assertThat(ifr.get(0)).isEqualTo((byte) 'm');
        assertThat(ifr.get(4)).isEqualTo((byte) '7');
        assertThat(ifr.get(5)).isZero();
        assertThat(ifr.get(15)).isZero();
        assertThat(IfReq.name(ifr)).isEqualTo("mpio7");
        // IFF_TUN|IFF_NO_PI = 0x1001, little-endian on x86-64/aarch64: 01 10 at offsets 16, 17.
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertThat(ifr.get(16)).isEqualTo((byte) 0x01);
            assertThat(ifr.get(17)).isEqualTo((byte) 0x10);
        }
        assertThat(IfReq.flags(ifr)).isEqualTo((short) 0x1001);
        assertThat(ifr.get(18)).isZero();
        assertThat(ifr.get(39)).isZero();

        IfReq.setMtu(ifr, 1400);
        assertThat(IfReq.mtu(ifr)).isEqualTo(1400);
        assertThat(IfReq.name(ifr)).isEqualTo("mpio7");
    }

    @Test
    void fifteenByteNameFillsTheFieldWithItsNul() throws IOException {
        ByteBuffer ifr = IfReq.allocate();
        IfReq.setName(ifr, IfReq.validName("abcdefghijklmno"));
        assertThat(ifr.get(14)).isEqualTo((byte) 'o');
        assertThat(ifr.get(15)).isZero();
        assertThat(IfReq.name(ifr)).isEqualTo("abcdefghijklmno");
    }

    @Test
    void badNamesGetOneLineMessages() {
        assertThatThrownBy(() -> IfReq.validName("abcdefghijklmnop"))
                .isInstanceOf(IOException.class).hasMessageContaining("too long").hasMessageContaining("at most 15");
        assertThatThrownBy(() -> IfReq.validName("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> IfReq.validName("a b")).hasMessageContaining("invalid character");
        assertThatThrownBy(() -> IfReq.validName("a/b")).hasMessageContaining("invalid character");
        assertThatThrownBy(() -> IfReq.validName("é")).hasMessageContaining("invalid character");
        assertThatThrownBy(() -> IfReq.validName("..")).hasMessageContaining("not a valid");
    }

    @Test
    void openRejectsATooLongNameBeforeAnyNativeCall() {
        assertThatThrownBy(() -> TunDevice.open("mpio-name-much-too-long", 1400))
                .isInstanceOf(IOException.class)
                .hasMessage("TUN name 'mpio-name-much-too-long' is too long: 23 bytes, at most 15");
        assertThatThrownBy(() -> TunDevice.open("mpio1", 20)).hasMessageContaining("MTU 20");
    }

    @Test
    void errnoMessagesSayWhatToDo() {
        assertThat(TunErrors.openDevice(LinuxConstants.ENOENT, "x")).startsWith("no /dev/net/tun");
        assertThat(TunErrors.openDevice(LinuxConstants.EACCES, "x")).contains("CAP_NET_ADMIN");
        assertThat(TunErrors.createTun("t", LinuxConstants.EPERM, "x")).contains("root or with CAP_NET_ADMIN");
        assertThat(TunErrors.createTun("t", LinuxConstants.EBUSY, "x")).contains("in use");
        assertThat(TunErrors.createTun("t", 99, "weird")).contains("weird").contains("errno 99");
    }
}
