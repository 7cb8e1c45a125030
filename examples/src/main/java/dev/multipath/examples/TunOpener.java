package dev.multipath.examples;

import dev.multipath.api.PacketSource;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.tun.TunDevice;
import dev.multipath.examples.config.Cidr;
import java.io.IOException;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.List;

/**
 * Opens the config's TUN device (creating it, setting the MTU, bringing it up) and assigns its addresses (those
 * not already there; none with {@code routing = "auto"}, whose plan adds them). Every
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
            // MP_TUN_OFFLOAD=off (the lab's A/B switch) turns offload off whatever the config says.
            tun = TunDevice.open(config.tun(), config.mtu(),
                    config.tunOffload() && !"off".equals(System.getenv("MP_TUN_OFFLOAD")));
        } catch (IOException e) {
            throw new CliFailure(ExitCodes.NO_PRIVILEGE_OR_TUN, e.getMessage(), e);
        }
        // With routing = "auto" the routing plan adds the addresses (and removes them on exit).
        List<Cidr> addresses = config.routing().auto() ? List.of() : config.addresses();
        for (Cidr address : addresses) {
            try {
                if (!assigned(tun.name(), address)) { // "portal up" may have added it already
                    tun.addAddress(address.toString());
                }
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

    /** Whether the interface already holds this address with this prefix length. */
    private static boolean assigned(String name, Cidr address) throws IOException {
        NetworkInterface link = NetworkInterface.getByName(name);
        if (link == null) {
            return false;
        }
        for (InterfaceAddress present : link.getInterfaceAddresses()) {
            if (present.getAddress().equals(address.address())
                    && present.getNetworkPrefixLength() == address.prefixLength()) {
                return true;
            }
        }
        return false;
    }
}
