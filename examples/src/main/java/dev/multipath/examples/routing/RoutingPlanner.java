package dev.multipath.examples.routing;

import dev.multipath.api.Role;
import dev.multipath.examples.config.Cidr;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PortalConfig;
import dev.multipath.examples.config.RoutingConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Computes the {@link RoutingPlan} of a portal from its config and the {@link HostFacts}: pure (no I/O), so every
 * plan is unit-tested as text. The layout, with T = {@code routing_table}:
 * <ul>
 * <li>TUN: created persistent by {@code portal up} when absent, MTU and up; every {@code address} added.</li>
 * <li>Local portal, per distinct path source address i (1-based): table T+i holds a default route through the path's
 *     gateway and interface, and rule priority T+i sends everything from that address to it, so each path leaves by
 *     its own link whatever the client routes say (the seed's per-link source routing).</li>
 * <li>Local portal, {@code routes}: a /0 route goes into table T through the TUN, selected by two rules as wg-quick
 *     does: priority T+1000 "main table, but no default routes" (the LAN and connected networks stay reachable), then
 *     priority T+1001 "table T". Narrower routes go into the main table through the TUN. The path rules come first,
 *     so the tunnel's own packets never enter the tunnel.</li>
 * <li>Remote portal, {@code routes}: the networks behind the local portal, routed into the TUN (main table).</li>
 * <li>{@code nat}: an nft table {@code portal_TUN} (created with {@code create}, so an existing one is never adopted)
 *     masquerading tunnel traffic out of the public interface (remote) or into the TUN (local).</li>
 * <li>Forwarding sysctls, per family in use, only when not already on (so down never turns off what it found on);
 *     before IPv6 forwarding, {@code accept_ra = 2} on interfaces whose IPv6 default route came from router
 *     advertisements (forwarding would delete it).</li>
 * </ul>
 */
public final class RoutingPlanner {

    /** Offset from T of the rule priorities that send client traffic to table T. */
    static final int CLIENT_RULE_OFFSET = 1000;
    private static final Pattern NFT_WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");

    private RoutingPlanner() {
    }

    /**
     * The plan for {@code config} on a host described by {@code facts}.
     *
     * @param createTun true for {@code portal up} (the TUN device is created persistent if it does not exist, and
     *                  its MTU set); false for {@code run} with {@code routing = "auto"} (the portal opened it)
     * @throws RoutingException if a path's route cannot be determined, or a remote portal has no public interface
     */
    public static RoutingPlan plan(PortalConfig config, HostFacts facts, boolean createTun) throws RoutingException {
        List<String> notes = new ArrayList<>();
        List<RoutingStep> steps = new ArrayList<>();
        String tun = config.tun();
        RoutingConfig routing = config.routing();
        int table = routing.table();

        if (createTun) {
            if (facts.tunExists()) {
                notes.add("TUN " + tun + " exists: not created, not deleted");
            } else {
                steps.add(RoutingStep.of(ip("tuntap", "add", "dev", tun, "mode", "tun"),
                        ip("tuntap", "del", "dev", tun, "mode", "tun")));
            }
            steps.add(RoutingStep.withoutUndo(ip("link", "set", "dev", tun, "mtu", Integer.toString(config.mtu()),
                    "up")));
        }
        for (Cidr address : config.addresses()) {
            String family = family(address.address());
            // nodad: nobody else is on a TUN link, and DAD would hold an IPv6 address "tentative" for a second or more.
            steps.add(address.address() instanceof Inet4Address
                    ? RoutingStep.of(ip(family, "address", "add", address.toString(), "dev", tun),
                            ip(family, "address", "del", address.toString(), "dev", tun))
                    : RoutingStep.of(ip(family, "address", "add", address.toString(), "dev", tun, "nodad"),
                            ip(family, "address", "del", address.toString(), "dev", tun)));
        }

        boolean forwards = config.role() == Role.REMOTE || !routing.routes().isEmpty();
        if (forwards) {
            if (usesFamily(config, true)) {
                forwarding(steps, notes, "net.ipv4.ip_forward", facts.ipv4Forwarding());
            }
            if (usesFamily(config, false)) {
                if (!facts.ipv6Forwarding()) {
                    keepRouterAdvertisements(facts, notes, steps);
                }
                forwarding(steps, notes, "net.ipv6.conf.all.forwarding", facts.ipv6Forwarding());
            }
        }

        if (config.role() == Role.LOCAL) {
            pathRoutes(config, facts, notes, steps);
            clientRoutes(config, steps);
        } else {
            for (Cidr route : routing.routes()) {
                if (route.prefixLength() == 0) {
                    throw new RoutingException("routes = " + route + " on a remote portal would send its own default"
                            + " traffic into the tunnel; list the networks behind the local portal instead");
                }
                String family = family(route.address());
                steps.add(RoutingStep.of(ip(family, "route", "add", route.toString(), "dev", tun),
                        ip(family, "route", "del", route.toString(), "dev", tun)));
            }
        }

        if (routing.nat()) {
            nat(config, facts, notes, steps);
        }
        if (steps.isEmpty()) {
            notes.add("nothing to set up");
        }
        return new RoutingPlan(notes, steps);
    }

    private static void pathRoutes(PortalConfig config, HostFacts facts, List<String> notes, List<RoutingStep> steps)
            throws RoutingException {
        int table = config.routing().table();
        // One table per source address: two paths from one address (tcp and udp on one link) share the link.
        Map<InetAddress, Integer> tableByLocal = new LinkedHashMap<>();
        int index = 0;
        for (PathConfig path : config.paths()) {
            index++;
            if (tableByLocal.containsKey(path.local())) {
                continue;
            }
            tableByLocal.put(path.local(), table + index);
            String pathTable = Integer.toString(table + index);
            Optional<InetAddress> gateway = path.gateway();
            Optional<String> device = path.linkInterface();
            if (gateway.isEmpty() || device.isEmpty()) {
                LinkRoute found = facts.pathRoutes().get(path.name());
                if (found == null) {
                    throw new RoutingException("path " + path.name() + ": no route found to "
                            + Addresses.format(path.remote().getAddress()) + " from "
                            + Addresses.format(path.local()) + "; set its gateway and interface in the config");
                }
                if (device.isEmpty() && found.localOwner().isPresent()
                        && !found.localOwner().get().equals(found.device())) {
                    throw new RoutingException("path " + path.name() + ": the main table sends "
                            + Addresses.format(path.remote().getAddress()) + " out of " + found.device() + ", but "
                            + Addresses.format(path.local()) + " is on " + found.localOwner().get()
                            + "; set path.gateway and path.interface for this path");
                }
                if (device.isEmpty()) {
                    device = Optional.of(found.device());
                }
                if (gateway.isEmpty() && found.device().equals(device.get())) {
                    gateway = found.gateway();
                }
                notes.add("path " + path.name() + ": " + gateway.map(g -> "via " + Addresses.format(g) + " ")
                        .orElse("") + "dev " + device.get() + " (found: ip route get "
                        + Addresses.format(path.remote().getAddress()) + " from " + Addresses.format(path.local())
                        + ")");
            }
            String family = family(path.local());
            List<String> route = new ArrayList<>(List.of(family, "route", "%s", "default"));
            gateway.ifPresent(g -> route.addAll(List.of("via", Addresses.format(g))));
            route.addAll(List.of("dev", device.get(), "table", pathTable));
            steps.add(RoutingStep.of(ip(route, "add"), ip(route, "del")));
            String from = Addresses.format(path.local()) + (path.local() instanceof Inet4Address ? "/32" : "/128");
            steps.add(RoutingStep.of(ip(family, "rule", "add", "from", from, "table", pathTable, "priority", pathTable),
                    ip(family, "rule", "del", "from", from, "table", pathTable, "priority", pathTable)));
        }
    }

    private static void clientRoutes(PortalConfig config, List<RoutingStep> steps) {
        String tun = config.tun();
        int table = config.routing().table();
        String clientTable = Integer.toString(table);
        List<String> defaultFamilies = new ArrayList<>();
        for (Cidr route : config.routing().routes()) {
            String family = family(route.address());
            if (route.prefixLength() == 0) {
                steps.add(RoutingStep.of(ip(family, "route", "add", route.toString(), "dev", tun, "table", clientTable),
                        ip(family, "route", "del", route.toString(), "dev", tun, "table", clientTable)));
                defaultFamilies.add(family);
            } else {
                steps.add(RoutingStep.of(ip(family, "route", "add", route.toString(), "dev", tun),
                        ip(family, "route", "del", route.toString(), "dev", tun)));
            }
        }
        String suppress = Integer.toString(table + CLIENT_RULE_OFFSET);
        String lookup = Integer.toString(table + CLIENT_RULE_OFFSET + 1);
        for (String family : defaultFamilies) {
            steps.add(RoutingStep.of(
                    ip(family, "rule", "add", "table", "main", "suppress_prefixlength", "0", "priority", suppress),
                    ip(family, "rule", "del", "table", "main", "suppress_prefixlength", "0", "priority", suppress)));
            steps.add(RoutingStep.of(ip(family, "rule", "add", "table", clientTable, "priority", lookup),
                    ip(family, "rule", "del", "table", clientTable, "priority", lookup)));
        }
    }

    private static void nat(PortalConfig config, HostFacts facts, List<String> notes, List<RoutingStep> steps)
            throws RoutingException {
        String tun = config.tun();
        String nftTable = nftTableName(tun);
        String match;
        if (config.role() == Role.REMOTE) {
            Optional<String> publicInterface = config.routing().publicInterface();
            if (publicInterface.isEmpty()) {
                publicInterface = facts.defaultInterface();
                if (publicInterface.isEmpty()) {
                    throw new RoutingException("nat = true but no default route to find the public interface;"
                            + " set public_interface in [portal]");
                }
                notes.add("public interface: " + publicInterface.get() + " (found: the default route's)");
            }
            match = "iifname " + nftString(tun) + " oifname " + nftString(publicInterface.get());
        } else {
            match = "oifname " + nftString(tun);
        }
        steps.add(RoutingStep.of(nft("create", "table", "inet", nftTable), nft("delete", "table", "inet", nftTable)));
        // Chain and rule live in the table: deleting the table removes them.
        steps.add(RoutingStep.withoutUndo(nft("create", "chain", "inet", nftTable, "postrouting",
                "{ type nat hook postrouting priority 100; policy accept; }")));
        List<String> rule = new ArrayList<>(List.of("nft", "add", "rule", "inet", nftTable, "postrouting"));
        rule.addAll(List.of(match.split(" ")));
        rule.add("masquerade");
        steps.add(RoutingStep.withoutUndo(new HostCommand(rule)));
    }

    /** The nft table a portal on TUN {@code tun} owns. */
    static String nftTableName(String tun) {
        return "portal_" + tun.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String nftString(String name) {
        return NFT_WORD.matcher(name).matches() ? name : "\"" + name + "\"";
    }

    /**
     * Turning IPv6 forwarding on deletes, at once, every default route learned from router advertisements on an
     * interface whose {@code accept_ra} is not 2, and ignores further RAs there: a host whose IPv6 default route
     * comes from RA (most VPSs and home links) would cut its own IPv6 paths. So, before forwarding goes on, such an
     * interface with {@code accept_ra = 1} gets 2 (RAs accepted while forwarding), and back 1 after it goes off.
     */
    private static void keepRouterAdvertisements(HostFacts facts, List<String> notes, List<RoutingStep> steps) {
        for (Map.Entry<String, Integer> ra : facts.raDefaultRoutes().entrySet()) {
            String key = "net/ipv6/conf/" + ra.getKey() + "/accept_ra";
            if (ra.getValue() == 1) {
                notes.add("IPv6 default route of " + ra.getKey() + " learned from router advertisements: accept_ra"
                        + " = 2 so that forwarding does not delete it");
                steps.add(RoutingStep.of(HostCommand.of("sysctl", "-w", key + "=2"),
                        HostCommand.of("sysctl", "-w", key + "=1")));
            } else if (ra.getValue() != 2) {
                notes.add("IPv6 default route of " + ra.getKey() + " learned from router advertisements, accept_ra = "
                        + ra.getValue() + ": forwarding will delete it; set a static route or accept_ra = 2");
            }
        }
    }

    private static void forwarding(List<RoutingStep> steps, List<String> notes, String key, boolean alreadyOn) {
        if (alreadyOn) {
            notes.add(key + " is already 1: left as it is");
        } else {
            steps.add(RoutingStep.of(HostCommand.of("sysctl", "-w", key + "=1"), HostCommand.of("sysctl", "-w",
                    key + "=0")));
        }
    }

    /** Whether the tunnel carries this family: a TUN address or a route of it. */
    private static boolean usesFamily(PortalConfig config, boolean ipv4) {
        for (Cidr cidr : config.addresses()) {
            if ((cidr.address() instanceof Inet4Address) == ipv4) {
                return true;
            }
        }
        for (Cidr cidr : config.routing().routes()) {
            if ((cidr.address() instanceof Inet4Address) == ipv4) {
                return true;
            }
        }
        return false;
    }

    private static String family(InetAddress address) {
        return address instanceof Inet4Address ? "-4" : "-6";
    }

    private static HostCommand ip(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        argv.addAll(List.of(args));
        return new HostCommand(argv);
    }

    /** {@code ip} with the verb substituted for the "%s" word of a template. */
    private static HostCommand ip(List<String> template, String verb) {
        List<String> argv = new ArrayList<>();
        argv.add("ip");
        template.forEach(w -> argv.add(w.equals("%s") ? verb : w));
        return new HostCommand(argv);
    }

    private static HostCommand nft(String... args) {
        List<String> argv = new ArrayList<>();
        argv.add("nft");
        argv.addAll(List.of(args));
        return new HostCommand(argv);
    }
}
