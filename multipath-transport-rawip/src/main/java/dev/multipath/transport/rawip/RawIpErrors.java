package dev.multipath.transport.rawip;

import static dev.multipath.transport.rawip.LinuxConstants.EACCES;
import static dev.multipath.transport.rawip.LinuxConstants.EADDRNOTAVAIL;
import static dev.multipath.transport.rawip.LinuxConstants.EAFNOSUPPORT;
import static dev.multipath.transport.rawip.LinuxConstants.EPERM;
import static dev.multipath.transport.rawip.LinuxConstants.EPROTONOSUPPORT;

/** One-line messages for the set-up failures an operator can fix. Pure functions of errno, so they are unit-tested. */
final class RawIpErrors {

    /** The whole message for a missing capability: the most common failure, so it is short and says the fix. */
    static final String NEEDS_CAP_NET_RAW = "raw IP transport needs root or CAP_NET_RAW";

    private RawIpErrors() {
    }

    /** socket(2) failed. */
    static String openSocket(boolean ipv6, int protocol, int errno, String detail) {
        switch (errno) {
            case EPERM:
            case EACCES:
                return NEEDS_CAP_NET_RAW;
            case EAFNOSUPPORT:
                return "cannot open a raw IP socket: " + (ipv6 ? "IPv6" : "IPv4") + " is not available on this host";
            case EPROTONOSUPPORT:
                return "cannot open a raw IP socket for protocol " + protocol + ": not supported by the kernel";
            default:
                return "cannot open a raw IP socket for protocol " + protocol + ": " + detail + " (errno " + errno + ")";
        }
    }

    /** bind(2) or connect(2) on the raw socket failed; {@code what} is "bind to 10.0.0.1" or similar. */
    static String address(String what, int errno, String detail) {
        switch (errno) {
            case EADDRNOTAVAIL:
                return "cannot " + what + ": the address is not assigned to any interface of this host";
            case EPERM:
            case EACCES:
                return NEEDS_CAP_NET_RAW;
            default:
                return "cannot " + what + ": " + detail + " (errno " + errno + ")";
        }
    }
}
