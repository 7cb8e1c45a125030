package dev.multipath.tun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesIpv4AndIpv6Literals() throws IOException {
        assertThat(Cidr.parse("10.199.3.1/30").toString()).isEqualTo("10.199.3.1/30");
        assertThat(Cidr.parse("fd00::1/64").prefixLength()).isEqualTo(64);
    }

    @Test
    void rejectsAnythingElse() {
        for (String bad : new String[] {"10.0.0.1", "10.0.0.1/", "/24", "10.0.0.1/33", "10.0.0.256/24",
                "example.com/24", "10.0.0.1/-1", "10.0.0.1/2x", "fd00::1/129", "-rf/8", "10.0.0.1/+8"}) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }
}
