package dev.multipath.examples.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the TUN address list ({@code address}, a string or an array of strings) and the routing keys of
 * {@code [portal]} ({@code routing}, {@code routes}, {@code nat}, {@code public_interface}, {@code routing_table}); see
 * {@link RoutingConfig}. Also the per-path {@code gateway} and {@code interface}.
 */
final class RoutingConfigParser {

    private static final Pattern INTERFACE_NAME = Pattern.compile("[^/:\\s\"'\\\\]{1,15}");
    /** Highest first table: path tables follow it and rule priorities must stay below main's 32766. */
    private static final int MAX_TABLE = 32000;

    private RoutingConfigParser() {
    }

    /** {@code address = "a/n"} or {@code address = ["a/n", "b::c/64"]}; empty if absent. */
    static List<Cidr> readAddresses(TomlTable portal) throws ConfigException {
        return readCidrList(portal, "address", false);
    }

    /** The routing keys (call before the [portal] table rejects unknown keys). */
    static RoutingConfig read(TomlTable portal) throws ConfigException {
        String mode = portal.optionalString("routing").orElse("off");
        if (!mode.equals("off") && !mode.equals("auto")) {
            throw portal.error("routing", "expected \"off\" or \"auto\", got '" + mode + "'");
        }
        List<Cidr> routes = readCidrList(portal, "routes", true);
        boolean nat = false;
        JsonNode natNode = portal.raw("nat");
        if (natNode != null) {
            if (!natNode.isBoolean()) {
                throw portal.error("nat", "expected true or false, got " + TomlTable.describe(natNode));
            }
            nat = natNode.booleanValue();
        }
        Optional<String> publicInterface = portal.optionalString("public_interface");
        if (publicInterface.isPresent()) {
            interfaceName(portal, "public_interface", publicInterface.get());
        }
        int table = (int) portal.optionalInteger("routing_table", 256, MAX_TABLE).orElse(RoutingConfig.DEFAULT_TABLE);
        return new RoutingConfig(mode.equals("auto"), routes, nat, publicInterface, table);
    }

    /** A path's optional {@code gateway}: an address of the same family as its {@code local}. */
    static Optional<InetAddress> readGateway(TomlTable path, InetAddress local) throws ConfigException {
        Optional<String> text = path.optionalString("gateway");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        InetAddress gateway;
        try {
            gateway = IpLiterals.parseAddress(text.get());
        } catch (IllegalArgumentException e) {
            throw path.error("gateway", "expected an IP address, got '" + text.get() + "'");
        }
        if ((gateway instanceof Inet4Address) != (local instanceof Inet4Address)) {
            throw path.error("gateway", "address family differs from " + path.keyOf("local"));
        }
        return Optional.of(gateway);
    }

    /** A path's optional {@code interface}: the link its traffic leaves by. */
    static Optional<String> readInterface(TomlTable path) throws ConfigException {
        Optional<String> name = path.optionalString("interface");
        if (name.isPresent()) {
            interfaceName(path, "interface", name.get());
        }
        return name;
    }

    private static void interfaceName(TomlTable table, String key, String name) throws ConfigException {
        if (!INTERFACE_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw table.error(key, "expected an interface name of 1 to 15 characters without '/', ':', quotes or"
                    + " spaces, got '" + name + "'");
        }
    }

    private static List<Cidr> readCidrList(TomlTable table, String key, boolean networks) throws ConfigException {
        JsonNode node = table.raw(key);
        if (node == null) {
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else if (node.isTextual() && !networks) {
            items.add(node);
        } else {
            throw table.error(key, "expected " + (networks ? "" : "a string or ") + "an array of strings such as"
                    + (networks ? " [\"0.0.0.0/0\", \"::/0\"]" : " [\"172.19.152.2/30\", \"fd00:19::2/64\"]")
                    + ", got " + TomlTable.describe(node));
        }
        List<Cidr> result = new ArrayList<>();
        for (JsonNode item : items) {
            String text = item.isTextual() ? item.textValue() : null;
            Optional<Cidr> cidr = text == null ? Optional.empty() : ConfigParser.parseCidr(text);
            if (cidr.isEmpty()) {
                throw table.error(key, "expected an address with prefix length such as "
                        + (networks ? "10.0.0.0/8 or ::/0" : "172.19.152.2/30") + ", got "
                        + TomlTable.describe(item));
            }
            if (networks && !isNetwork(cidr.get())) {
                throw table.error(key, "'" + text + "' has host bits set; write the network address");
            }
            if (result.contains(cidr.get())) {
                throw table.error(key, "'" + text + "' appears twice");
            }
            result.add(cidr.get());
        }
        return result;
    }

    private static boolean isNetwork(Cidr cidr) {
        byte[] bytes = cidr.address().getAddress();
        BigInteger value = new BigInteger(1, bytes);
        int hostBits = bytes.length * 8 - cidr.prefixLength();
        return hostBits == 0 || value.and(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE)).signum() == 0;
    }
}
