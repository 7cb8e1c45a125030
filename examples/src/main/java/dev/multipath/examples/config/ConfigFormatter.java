package dev.multipath.examples.config;

import dev.multipath.api.Role;

/**
 * Writes a {@link PortalConfig} back as TOML with every default filled in: what {@code portal check} prints.
 * The output parses back to an equal config. Secrets (keys, once later issues add them) must never be written
 * here in clear.
 */
public final class ConfigFormatter {

    private ConfigFormatter() {
    }

    /** The resolved config as TOML text, ending with a newline. */
    public static String toToml(PortalConfig config) {
        StringBuilder out = new StringBuilder();
        out.append("[portal]\n");
        out.append("role = ").append(quote(config.role() == Role.LOCAL ? "local" : "remote")).append('\n');
        out.append("tun = ").append(quote(config.tun())).append('\n');
        if (config.addresses().size() == 1) {
            out.append("address = ").append(quote(config.addresses().get(0).toString())).append('\n');
        } else if (!config.addresses().isEmpty()) {
            out.append("address = ").append(quoteAll(config.addresses())).append('\n');
        }
        out.append("mtu = ").append(config.mtu()).append('\n');
        if (!config.tunOffload()) {
            out.append("tun_offload = false\n");
        }
        if (!config.mssClamp()) {
            out.append("mss_clamp = false\n");
        }
        config.listen().ifPresent(l -> out.append("listen = ").append(quote(IpLiterals.format(l))).append('\n'));
        out.append("mode = ").append(quote(config.security().modeName())).append('\n');
        if (config.security().authenticated()) {
            out.append("aead = ").append(quote(config.security().aead().configName())).append('\n');
        }
        out.append("scheduler = ").append(quote(config.scheduler())).append('\n');
        out.append("congestion_control = ").append(quote(config.traffic().congestionControl())).append('\n');
        if (!config.traffic().capacitySearch()) {
            out.append("capacity_search = false\n");
        }
        out.append("control_socket = ").append(quote(config.operations().controlSocket().toString())).append('\n');
        config.operations().metricsListen().ifPresent(m -> out.append("metrics_listen = ")
                .append(quote(IpLiterals.format(m))).append('\n'));
        RoutingConfig routing = config.routing();
        out.append("routing = ").append(quote(routing.auto() ? "auto" : "off")).append('\n');
        if (!routing.routes().isEmpty()) {
            out.append("routes = ").append(quoteAll(routing.routes())).append('\n');
        }
        out.append("nat = ").append(routing.nat()).append('\n');
        routing.publicInterface().ifPresent(i -> out.append("public_interface = ").append(quote(i)).append('\n'));
        out.append("routing_table = ").append(routing.table()).append('\n');
        if (config.security().authenticated()) {
            // The private key is never printed; only the public key derived from it.
            out.append("# public key: ").append(dev.multipath.auth.StaticKeys.encode(
                    dev.multipath.auth.StaticKeys.publicKey(config.security().privateKey()))).append('\n');
        }
        if (config.security().multiPeer()) {
            for (dev.multipath.api.PeerSpec peer : config.security().peers()) {
                out.append("\n[[peer]]\n");
                out.append("name = ").append(quote(peer.name())).append('\n');
                out.append("public_key = ").append(quote(dev.multipath.auth.StaticKeys.encode(peer.publicKey())))
                        .append('\n');
                out.append("allowed_ips = ").append(peer.allowedIps().stream().map(p -> quote(p.toString())).toList())
                        .append('\n');
            }
        } else if (config.security().authenticated()) {
            out.append("\n[peer]\n");
            out.append("public_key = ").append(quote(dev.multipath.auth.StaticKeys.encode(
                    config.security().peerPublicKey()))).append('\n');
        }
        TrafficConfig traffic = config.traffic();
        if (traffic.redundant()) {
            out.append("\n[redundant]\n");
            out.append("protocols = ").append(traffic.redundantProtocols().stream().sorted().toList()).append('\n');
            out.append("ports = ").append(traffic.redundantPorts().stream().sorted().toList()).append('\n');
            out.append("dscp = ").append(traffic.redundantDscp().stream().sorted().toList()).append('\n');
        }
        for (PathConfig path : config.paths()) {
            out.append('\n').append("[[path]]\n");
            out.append("name = ").append(quote(path.name())).append('\n');
            out.append("transport = ").append(quote(path.transport().configName())).append('\n');
            out.append("local = ").append(quote(IpLiterals.format(path.local()))).append('\n');
            out.append("remote = ").append(quote(IpLiterals.format(path.remote()))).append('\n');
            out.append("metric = ").append(path.metric()).append('\n');
            out.append("mtu = ").append(path.mtu()).append('\n');
            path.gateway().ifPresent(g -> out.append("gateway = ").append(quote(IpLiterals.format(g))).append('\n'));
            path.linkInterface().ifPresent(i -> out.append("interface = ").append(quote(i)).append('\n'));
            if (path.overflow()) {
                out.append("overflow = true\n");
            }
        }
        return out.toString();
    }

    /** A TOML array of strings, one per CIDR. */
    private static String quoteAll(java.util.List<Cidr> cidrs) {
        StringBuilder array = new StringBuilder("[");
        for (Cidr cidr : cidrs) {
            array.append(array.length() > 1 ? ", " : "").append(quote(cidr.toString()));
        }
        return array.append(']').toString();
    }

    /** A TOML basic string; validated values contain no quotes or control characters, escape anyway. */
    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
