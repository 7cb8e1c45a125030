package dev.multipath.examples.routing;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Address text as {@code ip} writes it (IPv6 compressed), without asking DNS. */
final class Addresses {

    private Addresses() {
    }

    static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        // Cidr's text is the project's RFC 5952 form; reuse it rather than a second compressor.
        String cidr = new dev.multipath.examples.config.Cidr(address, 128).toString();
        return cidr.substring(0, cidr.lastIndexOf('/'));
    }
}
