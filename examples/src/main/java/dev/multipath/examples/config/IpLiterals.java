package dev.multipath.examples.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses IP address literals and {@code host:port} endpoints without ever asking DNS: a portal's addresses
 * are the links it bonds, and a name lookup at start-up could go out over any of them (or hang).
 *
 * <p>{@link InetAddress#getByName} looks up anything it does not recognise as a literal, so IPv4 is parsed
 * here, and IPv6 is handed to the JDK only in brackets, the form in which it refuses to fall back to DNS.
 */
final class IpLiterals {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private IpLiterals() {
    }

    /** Parses an IPv4 or IPv6 address literal (an IPv6 one without brackets). */
    static InetAddress parseAddress(String text) throws IllegalArgumentException {
        Matcher v4 = IPV4.matcher(text);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    throw new IllegalArgumentException("not an IP address");
                }
                bytes[i] = (byte) octet;
            }
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address", e);
            }
        }
        if (IPV6.matcher(text).matches()) {
            try {
                // Brackets make the JDK treat the text as an IPv6 literal and fail instead of resolving it.
                return InetAddress.getByName("[" + text + "]");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP address", e);
            }
        }
        throw new IllegalArgumentException("not an IP address");
    }

    /**
     * Parses {@code 10.0.1.2:4789} or {@code [2001:db8::1]:4789}; the port must be 1..65535, or 0..65535 when
     * {@code allowPortZero} (a listen address may ask for any port).
     */
    static InetSocketAddress parseEndpoint(String text, boolean allowPortZero) throws IllegalArgumentException {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("no port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!host.contains(":")) {
                throw new IllegalArgumentException("brackets are for IPv6 addresses only");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("write an IPv6 endpoint as [address]:port");
            }
        }
        InetAddress address = parseAddress(host);
        if (!port.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("port is not a number");
        }
        int number = Integer.parseInt(port);
        if (number > 65535 || (number == 0 && !allowPortZero)) {
            throw new IllegalArgumentException("port out of range");
        }
        return new InetSocketAddress(address, number);
    }

    /** Text form of an address without any host name part, IPv6 compressed as users write it. */
    static String format(InetAddress address) {
        String text = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int percent = text.indexOf('%');
            String scope = percent < 0 ? "" : text.substring(percent);
            String bare = percent < 0 ? text : text.substring(0, percent);
            return compressIpv6(bare) + scope;
        }
        return text;
    }

    /** Text form of an endpoint: {@code a.b.c.d:port} or {@code [v6]:port}. */
    static String format(InetSocketAddress endpoint) {
        String host = format(endpoint.getAddress());
        return (endpoint.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }

    /** Replaces the longest run of zero groups with "::" (RFC 5952), since the JDK prints every group. */
    private static String compressIpv6(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength && j - i >= 2) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }
}
