package dev.multipath.examples;

import dev.multipath.api.PacketSource;
import dev.multipath.examples.config.PortalConfig;

/**
 * Opens the config's TUN device and assigns its address. Every failure here (not root, no /dev/net/tun, name
 * in use, address refused) ends the command with {@link ExitCodes#NO_PRIVILEGE_OR_TUN}.
 */
final class TunOpener {

    private TunOpener() {
    }

    static PacketSource open(PortalConfig config) {
        // Wired to dev.multipath.tun.TunDevice once the multipath-tun module provides it.
        throw new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, "TUN " + config.tun()
                + ": TUN support is not available in this build");
    }
}
