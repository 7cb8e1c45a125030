package dev.multipath.tun;

import static dev.multipath.tun.LinuxConstants.EACCES;
import static dev.multipath.tun.LinuxConstants.EBUSY;
import static dev.multipath.tun.LinuxConstants.EINVAL;
import static dev.multipath.tun.LinuxConstants.ENODEV;
import static dev.multipath.tun.LinuxConstants.ENOENT;
import static dev.multipath.tun.LinuxConstants.EPERM;

/** One-line messages for the failures an operator can fix (permissions, missing driver, name clashes). */
final class TunErrors {
    private TunErrors() {
    }

    static String openDevice(int errno, String detail) {
        switch (errno) {
            case ENOENT:
            case ENODEV:
                return "no /dev/net/tun: the TUN driver is not available (load it with 'modprobe tun', or give the"
                        + " container the device)";
            case EACCES:
            case EPERM:
                return "cannot open /dev/net/tun: permission denied (run as root or with CAP_NET_ADMIN)";
            default:
                return "cannot open /dev/net/tun: " + detail + " (errno " + errno + ")";
        }
    }

    static String createTun(String name, int errno, String detail) {
        switch (errno) {
            case EPERM:
            case EACCES:
                return "cannot create TUN '" + name + "': operation not permitted (run as root or with CAP_NET_ADMIN)";
            case EBUSY:
                return "cannot create TUN '" + name + "': the name is in use by another process's TUN device";
            case EINVAL:
                return "cannot create TUN '" + name + "': an interface of another kind has this name, or the name"
                        + " is invalid";
            default:
                return "cannot create TUN '" + name + "': " + detail + " (errno " + errno + ")";
        }
    }

    static String configure(String name, String what, int errno, String detail) {
        if (errno == EPERM || errno == EACCES) {
            return "cannot " + what + " of TUN '" + name + "': operation not permitted (run as root or with"
                    + " CAP_NET_ADMIN)";
        }
        return "cannot " + what + " of TUN '" + name + "': " + detail + " (errno " + errno + ")";
    }
}
