package dev.multipath.examples.routing;

import dev.multipath.api.Role;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PortalConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gathers the {@link HostFacts} a plan needs with read-only commands ({@code ip route get}, {@code ip route show
 * default}, {@code ip -o address show to}, {@code sysctl -n}) and /proc/sys reads. Needs no privilege; sends no
 * packet.
 */
public final class HostProbe {

    private static final Pattern VIA = Pattern.compile("\\bvia (\\S+)");
    private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.@-]{1,15}");
    private static final Pattern ADDRESS_OWNER = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet6?\\s", Pattern.MULTILINE);

    private HostProbe() {
    }

    /** The facts for {@code config}, using {@code runner} for the {@code ip} queries. */
    public static HostFacts probe(PortalConfig config, CommandRunner runner) throws RoutingException {
        Map<String, LinkRoute> routes = new HashMap<>();
        if (config.role() == Role.LOCAL) {
            for (PathConfig path : config.paths()) {
                if (path.gateway().isEmpty() || path.linkInterface().isEmpty()) {
                    routeOf(path, runner).ifPresent(r -> routes.put(path.name(), r));
                }
            }
        }
        Optional<String> defaultInterface = Optional.empty();
        if (config.role() == Role.REMOTE && config.routing().nat() && config.routing().publicInterface().isEmpty()) {
            defaultInterface = defaultInterface(runner, "-4").or(() -> defaultInterfaceOrEmpty(runner, "-6"));
        }
        return new HostFacts(routes, defaultInterface, sysctlOn("net/ipv4/ip_forward"),
                sysctlOn("net/ipv6/conf/all/forwarding"), Files.exists(Path.of("/sys/class/net", config.tun())),
                raDefaultRoutes(runner));
    }

    /**
     * Interfaces with an IPv6 default route learned from router advertisements ({@code proto ra}) and their
     * {@code accept_ra}; empty when there is none or it cannot be read.
     */
    static Map<String, Integer> raDefaultRoutes(CommandRunner runner) {
        Map<String, Integer> found = new TreeMap<>();
        try {
            for (String line : runner.run(HostCommand.of("ip", "-6", "route", "show", "default")).split("\n")) {
                Matcher dev = DEV.matcher(line);
                if (!line.contains(" proto ra") || !dev.find() || !INTERFACE.matcher(dev.group(1)).matches()) {
                    continue;
                }
                // The slash form of the key: interface names may hold dots (VLANs: eth0.7).
                String value = runner.run(HostCommand.of("sysctl", "-n",
                        "net/ipv6/conf/" + dev.group(1) + "/accept_ra")).strip();
                if (value.matches("-?\\d+")) {
                    found.put(dev.group(1), Integer.parseInt(value));
                }
            }
        } catch (RoutingException e) {
            // No IPv6 (or no sysctl): nothing to protect.
        }
        return found;
    }

    /** Parses {@code ip route get} output ("1.2.3.4 from 10.0.1.1 via 10.0.1.254 dev eth1 uid 0"). */
    static Optional<LinkRoute> parseRouteGet(String output, Optional<String> localOwner) {
        Matcher dev = DEV.matcher(output);
        if (!dev.find()) {
            return Optional.empty();
        }
        Matcher via = VIA.matcher(output);
        Optional<InetAddress> gateway = Optional.empty();
        if (via.find()) {
            gateway = literal(via.group(1));
        }
        return Optional.of(new LinkRoute(gateway, dev.group(1), localOwner));
    }

    private static Optional<LinkRoute> routeOf(PathConfig path, CommandRunner runner) {
        String remote = Addresses.format(path.remote().getAddress());
        String local = Addresses.format(path.local());
        Optional<String> owner = Optional.empty();
        try {
            Matcher m = ADDRESS_OWNER.matcher(runner.run(HostCommand.of("ip", "-o", "address", "show", "to", local)));
            if (m.find()) {
                owner = Optional.of(m.group(1).replaceAll("@.*", ""));
            }
            return parseRouteGet(runner.run(HostCommand.of("ip", "route", "get", remote, "from", local)), owner);
        } catch (RoutingException e) {
            // No route: the planner names the path and asks for gateway/interface in the config.
            return Optional.empty();
        }
    }

    private static Optional<String> defaultInterfaceOrEmpty(CommandRunner runner, String family) {
        try {
            return defaultInterface(runner, family);
        } catch (RoutingException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> defaultInterface(CommandRunner runner, String family) throws RoutingException {
        Matcher dev = DEV.matcher(runner.run(HostCommand.of("ip", family, "route", "show", "default")));
        return dev.find() ? Optional.of(dev.group(1)) : Optional.empty();
    }

    private static boolean sysctlOn(String key) {
        try {
            return Files.readString(Path.of("/proc/sys", key)).strip().equals("1");
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> literal(String text) {
        if (!text.matches("[0-9A-Fa-f:.]+")) {
            return Optional.empty();
        }
        try {
            // A literal of digits, dots and colons only: never a DNS lookup.
            return Optional.of(InetAddress.getByName(text.contains(":") ? "[" + text + "]" : text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
