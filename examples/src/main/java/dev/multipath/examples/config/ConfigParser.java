package dev.multipath.examples.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.multipath.api.Role;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The one place where config text becomes a {@link PortalConfig}: every key, its type, its default and every
 * rule live here, so that a later key (keys, peer, mode, scheduler) is one more read and one more check.
 *
 * <p>Paths are numbered from 1 in messages ({@code path[1]} is the first {@code [[path]]} table in the file).
 */
final class ConfigParser {

    /** Linux interface names: at most 15 bytes, no '/', ':' or white space, not "." or "..". */
    private static final Pattern INTERFACE_NAME = Pattern.compile("[^/:\\s]{1,15}");
    private static final Pattern PATH_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final int MIN_MTU = 576;
    private static final int MAX_MTU = 9000;

    private static final TomlMapper MAPPER = new TomlMapper();
    /** Scheduler names; "auto" is earliest-arrival when every path has congestion control, greedy otherwise. */
    static final List<String> SCHEDULERS = List.of("auto", "earliest-arrival", "greedy", "weighted-round-robin",
            "flow");

    private ConfigParser() {
    }

    static PortalConfig parse(String toml) throws ConfigException {
        TomlTable top = new TomlTable("", readTree(toml));

        TomlTable portal = top.optionalTable("portal")
                .orElseThrow(() -> new ConfigException("portal", "missing required table [portal]"));
        Role role = readRole(portal);
        String tun = portal.requiredString("tun");
        if (!INTERFACE_NAME.matcher(tun).matches() || tun.equals(".") || tun.equals("..")) {
            throw portal.error("tun", "expected an interface name of 1 to 15 characters without '/', ':' or"
                    + " spaces, got '" + tun + "'");
        }
        List<Cidr> addresses = RoutingConfigParser.readAddresses(portal);
        OptionalLong configuredMtu = portal.optionalInteger("mtu", MIN_MTU, MAX_MTU);
        boolean tunOffload = portal.optionalBoolean("tun_offload").orElse(true);
        boolean mssClamp = portal.optionalBoolean("mss_clamp").orElse(true);
        Optional<InetSocketAddress> listen = Optional.empty();
        if (portal.has("listen")) {
            if (role == Role.LOCAL) {
                throw portal.error("listen", "only a remote portal listens; remove it or set role = \"remote\"");
            }
            listen = Optional.of(endpoint(portal, "listen", true));
        } else if (role == Role.REMOTE) {
            throw portal.error("listen", "missing required key (a remote portal needs the address:port where"
                    + " paths arrive, such as \"0.0.0.0:4789\")");
        }
        SecurityConfig security = SecurityConfigParser.read(portal, top, role);
        String scheduler = portal.optionalString("scheduler").orElse("auto");
        if (!SCHEDULERS.contains(scheduler)) {
            throw portal.error("scheduler", "expected one of " + SCHEDULERS + ", got '" + scheduler + "'");
        }
        OperationsConfig operations = OperationsConfigParser.read(portal, tun);
        RoutingConfig routing = RoutingConfigParser.read(portal);
        TrafficConfig traffic = TrafficConfigParser.read(portal, top.optionalTable("redundant"));
        portal.rejectUnknownKeys();

        List<PathConfig> paths = readPaths(top, role);
        top.rejectUnknownKeys();
        int mtu = tunMtu(portal, configuredMtu, paths, listen);
        return new PortalConfig(role, tun, addresses, mtu, listen, paths, security, scheduler,
                operations, routing, traffic, tunOffload, mssClamp);
    }

    private static ObjectNode readTree(String toml) throws ConfigException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(toml);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr()
                    + (at.getColumnNr() > 0 ? ", column " + at.getColumnNr() : "");
            String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            throw new ConfigException("", "TOML syntax error" + where + ": " + what.replace('\n', ' '));
        }
        if (tree == null || tree.isMissingNode()) {
            return MAPPER.createObjectNode();
        }
        return (ObjectNode) tree;
    }

    private static Role readRole(TomlTable portal) throws ConfigException {
        String role = portal.requiredString("role");
        switch (role) {
            case "local":
                return Role.LOCAL;
            case "remote":
                return Role.REMOTE;
            default:
                throw portal.error("role", "expected \"local\" or \"remote\", got '" + role + "'");
        }
    }

    private static List<PathConfig> readPaths(TomlTable top, Role role) throws ConfigException {
        JsonNode array = top.raw("path");
        if (array == null) {
            if (role == Role.LOCAL) {
                throw new ConfigException("path", "a local portal needs at least one [[path]] table");
            }
            return List.of();
        }
        if (role == Role.REMOTE) {
            throw new ConfigException("path", "a remote portal has no [[path]] tables (paths arrive at"
                    + " portal.listen); remove them or set role = \"local\"");
        }
        if (!array.isArray()) {
            throw new ConfigException("path", "expected [[path]] tables (double brackets), got "
                    + TomlTable.describe(array));
        }
        if (array.isEmpty()) {
            throw new ConfigException("path", "a local portal needs at least one [[path]] table");
        }
        List<PathConfig> paths = new ArrayList<>();
        Map<String, Integer> indexByName = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            int number = i + 1;
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw new ConfigException("path[" + number + "]", "expected a [[path]] table, got "
                        + TomlTable.describe(element));
            }
            PathConfig path = readPath(new TomlTable("path[" + number + "]", (ObjectNode) element));
            Integer previous = indexByName.putIfAbsent(path.name(), number);
            if (previous != null) {
                throw new ConfigException("path[" + number + "].name", "duplicate path name '" + path.name()
                        + "' (also path[" + previous + "])");
            }
            paths.add(path);
        }
        return paths;
    }

    private static PathConfig readPath(TomlTable path) throws ConfigException {
        String name = path.requiredString("name");
        if (!PATH_NAME.matcher(name).matches()) {
            throw path.error("name", "expected 1 to 32 letters, digits, '_', '.' or '-', got '" + name + "'");
        }
        String transportName = path.requiredString("transport");
        TransportKind transport = TransportKind.fromConfigName(transportName).orElseThrow(() -> path.error(
                "transport", "expected one of " + TransportKind.choices() + ", got '" + transportName + "'"));
        String localText = path.requiredString("local");
        InetAddress local;
        try {
            local = IpLiterals.parseAddress(localText);
        } catch (IllegalArgumentException e) {
            throw path.error("local", "expected an IPv4 or IPv6 address (host names are not resolved), got '"
                    + localText + "'");
        }
        InetSocketAddress remote = endpoint(path, "remote", false);
        if ((local instanceof Inet4Address) != (remote.getAddress() instanceof Inet4Address)) {
            throw path.error("remote", "address family differs from " + path.keyOf("local") + " ('"
                    + localText + "')");
        }
        int metric = (int) path.optionalInteger("metric", 0, 255).orElse(0);
        Optional<InetAddress> gateway = RoutingConfigParser.readGateway(path, local);
        Optional<String> linkInterface = RoutingConfigParser.readInterface(path);
        boolean overflow = TrafficConfigParser.readOverflow(path);
        int mtu = (int) path.optionalInteger("mtu", MIN_MTU, MAX_MTU).orElse(PathMtu.DEFAULT_LINK_MTU);
        path.rejectUnknownKeys();
        return new PathConfig(name, transport, local, remote, metric, gateway, linkInterface, overflow, mtu);
    }

    /**
     * The TUN's MTU: as configured, or derived. A local portal's is the smallest inner MTU of its paths, and a
     * configured one may not exceed it (frames would be fragmented or refused); a remote portal's, which does not
     * know the paths in advance, is what a 1500-byte link carries over UDP in its listen address's family.
     */
    private static int tunMtu(TomlTable portal, OptionalLong configured, List<PathConfig> paths,
            Optional<InetSocketAddress> listen) throws ConfigException {
        PathConfig narrowest = null;
        for (PathConfig p : paths) {
            if (narrowest == null || PathMtu.innerMtu(p) < PathMtu.innerMtu(narrowest)) {
                narrowest = p;
            }
        }
        if (narrowest != null) {
            int carried = PathMtu.innerMtu(narrowest);
            if (carried < MIN_MTU) {
                throw new ConfigException("path[" + (paths.indexOf(narrowest) + 1) + "].mtu", "the link MTU "
                        + narrowest.mtu() + " leaves " + carried + " bytes for inner packets, below " + MIN_MTU);
            }
            if (configured.isPresent() && configured.getAsLong() > carried) {
                throw portal.error("mtu", configured.getAsLong() + " is more than path '" + narrowest.name()
                        + "' carries whole (" + carried + ": link MTU " + narrowest.mtu() + " - "
                        + PathMtu.outerOverhead(narrowest.transport(), narrowest.local()) + " outer headers - "
                        + PathMtu.FRAME_OVERHEAD + " frame header and tag); lower it, or leave it out to use "
                        + carried);
            }
            return (int) configured.orElse(carried);
        }
        if (configured.isPresent()) {
            return (int) configured.getAsLong();
        }
        InetAddress family = listen.map(InetSocketAddress::getAddress).orElse(null);
        return PathMtu.DEFAULT_LINK_MTU - (family instanceof Inet4Address ? 28 : 48) - PathMtu.FRAME_OVERHEAD;
    }

    private static InetSocketAddress endpoint(TomlTable table, String key, boolean allowPortZero)
            throws ConfigException {
        String text = table.requiredString(key);
        try {
            return IpLiterals.parseEndpoint(text, allowPortZero);
        } catch (IllegalArgumentException e) {
            throw table.error(key, "expected host:port with an IP address (host names are not resolved; IPv6"
                    + " as [address]:port), got '" + text + "'");
        }
    }

    static Optional<Cidr> parseCidr(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || !text.substring(slash + 1).matches("\\d{1,3}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Cidr(IpLiterals.parseAddress(text.substring(0, slash)),
                    Integer.parseInt(text.substring(slash + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
