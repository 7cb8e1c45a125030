package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RawIpErrorsTest {

    @Test
    void missingCapabilityIsOneClearLine() {
        assertThat(RawIpErrors.openSocket(false, 253, LinuxConstants.EPERM, "Operation not permitted"))
                .isEqualTo("raw IP transport needs root or CAP_NET_RAW");
        assertThat(RawIpErrors.openSocket(true, 253, LinuxConstants.EACCES, "Permission denied"))
                .isEqualTo("raw IP transport needs root or CAP_NET_RAW");
    }

    @Test
    void otherSocketFailuresNameTheCause() {
        assertThat(RawIpErrors.openSocket(true, 253, LinuxConstants.EAFNOSUPPORT, "x"))
                .contains("IPv6 is not available");
        assertThat(RawIpErrors.openSocket(false, 253, LinuxConstants.EPROTONOSUPPORT, "x"))
                .contains("protocol 253").contains("not supported");
        assertThat(RawIpErrors.openSocket(false, 253, 24, "Too many open files"))
                .isEqualTo("cannot open a raw IP socket for protocol 253: Too many open files (errno 24)");
    }

    @Test
    void addressNotLocalSaysSo() {
        assertThat(RawIpErrors.address("bind raw IP socket to 192.0.2.1", LinuxConstants.EADDRNOTAVAIL, "x"))
                .isEqualTo("cannot bind raw IP socket to 192.0.2.1: the address is not assigned to any interface of"
                        + " this host");
        assertThat(RawIpErrors.address("bind raw IP socket to 192.0.2.1", 1, "x"))
                .isEqualTo(RawIpErrors.NEEDS_CAP_NET_RAW);
        assertThat(RawIpErrors.address("connect raw IP socket to ::2", 101, "Network is unreachable"))
                .endsWith("Network is unreachable (errno 101)").doesNotContain("\n");
    }
}
