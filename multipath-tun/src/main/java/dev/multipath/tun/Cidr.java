package dev.multipath.tun;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An interface address with its prefix length, parsed strictly from "a.b.c.d/len" (or an IPv6 literal "x::y/len").
 * Only literals are accepted, so parsing never does a DNS lookup and the text is safe to pass to {@code ip}.
 */
record Cidr(InetAddress address, int prefixLength) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    static Cidr parse(String text) throws IOException {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IOException("address '" + text + "' is not in CIDR form a.b.c.d/len");
        }
        String addr = text.substring(0, slash);
        String len = text.substring(slash + 1);
        boolean v4 = IPV4.matcher(addr).matches();
        if (!v4 && !(addr.indexOf(':') >= 0 && IPV6.matcher(addr).matches())) {
            throw new IOException("address '" + text + "' is not an IP literal");
        }
        if (v4) {
            for (String part : addr.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IOException("address '" + text + "' has an octet above 255");
                }
            }
        }
        InetAddress ia;
        try {
            ia = InetAddress.getByName(addr); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IOException("address '" + text + "' is not a valid IP literal");
        }
        int max = ia instanceof Inet4Address ? 32 : 128;
        int prefix;
        try {
            prefix = Integer.parseInt(len);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > max || !len.chars().allMatch(Character::isDigit)) {
            throw new IOException("address '" + text + "' has a prefix length outside 0.." + max);
        }
        return new Cidr(ia, prefix);
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
