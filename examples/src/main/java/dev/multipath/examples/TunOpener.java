package dev.multipath.examples;

import dev.multipath.api.PacketSource;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.tun.TunDevice;
import java.io.IOException;

/**
 * Opens the config's TUN device (creating it, setting the MTU, bringing it up) and assigns its address. Every
 * failure here (not root, no /dev/net/tun, name in use, address refused) ends the command with
 * {@link ExitCodes#NO_PRIVILEGE_OR_TUN} and TunDevice's one-line reason.
 */
final class TunOpener {

    private TunOpener() {
    }

    /** The open TUN device; the caller owns it (the portal closes it). */
    static PacketSource open(PortalConfig config) {
        TunDevice tun;
        try {
            tun = TunDevice.open(config.tun(), config.mtu());
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, e.getMessage(), e);
        }
        if (config.address().isPresent()) {
            try {
                tun.addAddress(config.address().get().toString());
            } catch (IOException | RuntimeException e) {
                CliFailure failure = new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, e.getMessage(), e);
                try {
                    tun.close();
                } catch (IOException | RuntimeException closing) {
                    failure.addSuppressed(closing);
                }
                throw failure;
            }
        }
        return tun;
    }
}
