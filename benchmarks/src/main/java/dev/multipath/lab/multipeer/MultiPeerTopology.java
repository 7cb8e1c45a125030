package dev.multipath.lab.multipeer;

import dev.multipath.lab.Cleanup;
import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import dev.multipath.lab.topo.LinkSpec;
import dev.multipath.lab.topo.RelayBinary;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The network of the many-local-portals lab: one server behind one remote portal (rp), and per site k a client, a
 * local portal (lp k) and its own links, each through a middle namespace shaped like {@link Topology}'s links (tbf on
 * both egress sides of the middle, the C relay when a link has delay or loss).
 * <pre>
 * client k 10.210.(10k).2 -- 10.210.(10k).1 lp k 10.210.(100+10k+i).1 -- [middle k,i] -- 10.210.(100+10k+i).2 rp
 * rp 10.210.1.1 -- 10.210.1.2 server
 * TUN: lp k 10.210.3.k/24, rp 10.210.3.254/24
 * </pre>
 * A site declared as a spoofer gets the client subnet of another site (its client sends with that site's address)
 * while the remote portal's {@code allowed_ips} for it stay its own subnet.
 *
 * <p>Every namespace and interface name starts with {@code mpq} + 4 hex digits, so parallel runs never collide;
 * everything lives under 10.210.0.0/16 inside those namespaces. {@link #close()} (also from the shutdown hook) stops
 * every process started here and deletes every namespace. Not thread-safe except {@link #close()}.
 */
public final class MultiPeerTopology implements AutoCloseable {
    private static final String TCP_MEM = "4096 131072 33554432";

    /**
     * One site.
     *
     * @param name        the peer's name in the remote portal's config
     * @param links       its links
     * @param clientOctet third octet of the subnet its client actually uses (10k, or a victim's for a spoofer)
     */
    public record Site(String name, List<LinkSpec> links, int clientOctet) {
        public Site {
            links = List.copyOf(links);
            if (links.isEmpty() || links.size() > 9) {
                throw new IllegalArgumentException("1 to 9 links per site, not " + links.size());
            }
        }
    }

    private final String id;
    private final List<Site> sites;
    private final List<String> namespaces = new ArrayList<>();
    private final ProcessGroup processes = new ProcessGroup();
    private final Path workDir;
    private boolean closed;

    private MultiPeerTopology(List<Site> sites) {
        this.id = Topology.freshId("mpq");
        this.sites = List.copyOf(sites);
        try {
            this.workDir = Files.createTempDirectory(id + "-");
        } catch (IOException e) {
            throw new LabException("cannot create a work directory: " + e.getMessage(), e);
        }
    }

    /** Builds the network for {@code sites} (1 to 9); on failure removes what it made and throws. */
    public static MultiPeerTopology create(List<Site> sites) {
        if (sites.isEmpty() || sites.size() > 9) {
            throw new IllegalArgumentException("1 to 9 sites, not " + sites.size());
        }
        MultiPeerTopology t = new MultiPeerTopology(sites);
        Cleanup.register(t);
        try {
            t.build();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    // ---- names and addresses (k is the 1-based site number, i the 1-based link number) ----

    public String id() {
        return id;
    }

    public List<Site> sites() {
        return sites;
    }

    public Site site(int k) {
        return sites.get(k - 1);
    }

    public String serverNs() {
        return id + "-s";
    }

    public String rpNs() {
        return id + "-rp";
    }

    public String clientNs(int k) {
        return id + "-c" + k;
    }

    public String lpNs(int k) {
        return id + "-l" + k;
    }

    public String middleNs(int k, int i) {
        return id + "-m" + k + i;
    }

    /** lp k's interface of link i. */
    public String lpLinkIf(int k, int i) {
        return id + "p" + k + i;
    }

    public String rpTun() {
        return id + "tr";
    }

    public String lpTun(int k) {
        return id + "t" + k;
    }

    public static String serverIp() {
        return "10.210.1.2";
    }

    public static String serverSubnet() {
        return "10.210.1.0/24";
    }

    /** The subnet site k owns (its {@code allowed_ips}), whatever its client actually uses. */
    public static String ownSubnet(int k) {
        return "10.210." + (10 * k) + ".0/24";
    }

    /** The address site k's client sends from. */
    public String clientIp(int k) {
        return "10.210." + site(k).clientOctet() + ".2";
    }

    public static String lpLinkIp(int k, int i) {
        return "10.210." + (100 + 10 * k + i) + ".1";
    }

    public static String rpLinkIp(int k, int i) {
        return "10.210." + (100 + 10 * k + i) + ".2";
    }

    public static String lpTunIp(int k) {
        return "10.210.3." + k;
    }

    public static String rpTunCidr() {
        return "10.210.3.254/24";
    }

    public Path workDir() {
        return workDir;
    }

    // ---- building ----

    private void build() {
        addNs(serverNs());
        addNs(rpNs());
        sysctl(rpNs(), "net.ipv4.ip_forward", "1");
        veth(serverNs(), id + "s", rpNs(), id + "rs");
        address(serverNs(), id + "s", serverIp() + "/24");
        address(rpNs(), id + "rs", "10.210.1.1/24");
        Shell.runIn(serverNs(), "ip", "route", "add", "default", "via", "10.210.1.1");
        for (int k = 1; k <= sites.size(); k++) {
            buildSite(k);
        }
    }

    private void buildSite(int k) {
        Site site = site(k);
        addNs(clientNs(k));
        addNs(lpNs(k));
        sysctl(lpNs(k), "net.ipv4.ip_forward", "1");
        String net = "10.210." + site.clientOctet() + ".";
        veth(clientNs(k), id + "c" + k, lpNs(k), id + "k" + k);
        address(clientNs(k), id + "c" + k, net + "2/24");
        address(lpNs(k), id + "k" + k, net + "1/24");
        Shell.runIn(clientNs(k), "ip", "route", "add", "default", "via", net + "1");
        for (int i = 1; i <= site.links().size(); i++) {
            LinkSpec spec = site.links().get(i - 1);
            String m = middleNs(k, i);
            String a = id + "a" + k + i;
            String b = id + "b" + k + i;
            String rpIf = id + "r" + k + i;
            addNs(m);
            veth(lpNs(k), lpLinkIf(k, i), m, a);
            veth(m, b, rpNs(), rpIf);
            address(lpNs(k), lpLinkIf(k, i), lpLinkIp(k, i) + "/24");
            address(rpNs(), rpIf, rpLinkIp(k, i) + "/24");
            if (spec.needsRelay()) {
                List<String> cmd = Shell.inNamespace(m, RelayBinary.get().toString(), a, b,
                        Long.toString(Math.round(spec.delayMs() * 1000)), Long.toString(Math.round(spec.lossPct()
                                * 10_000)), "0", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)));
                processes.start("relay" + k + i, cmd, workDir.resolve("relay" + k + i + ".log"));
            } else {
                String br = id + "br" + k + i;
                Shell.runIn(m, "ip", "link", "add", br, "type", "bridge");
                Shell.runIn(m, "ip", "link", "set", a, "master", br);
                Shell.runIn(m, "ip", "link", "set", b, "master", br);
                Shell.runIn(m, "ip", "link", "set", br, "up");
            }
            Topology.shape(m, a, spec.rateMbit(), spec.queueBytes());
            Topology.shape(m, b, spec.rateMbit(), spec.queueBytes());
        }
    }

    private void addNs(String ns) {
        Shell.run("ip", "netns", "add", ns);
        namespaces.add(ns);
        Shell.runIn(ns, "ip", "link", "set", "lo", "up");
        sysctl(ns, "net.ipv6.conf.all.disable_ipv6", "1");
        sysctl(ns, "net.ipv6.conf.default.disable_ipv6", "1");
        sysctl(ns, "net.ipv4.conf.all.rp_filter", "0");
        sysctl(ns, "net.ipv4.conf.default.rp_filter", "0");
        sysctl(ns, "net.ipv4.tcp_rmem", TCP_MEM);
        sysctl(ns, "net.ipv4.tcp_wmem", TCP_MEM);
    }

    private static void veth(String ns1, String if1, String ns2, String if2) {
        Shell.run("ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2, "netns", ns2);
        Shell.runIn(ns1, "ip", "link", "set", if1, "up");
        Shell.runIn(ns2, "ip", "link", "set", if2, "up");
    }

    private static void address(String ns, String dev, String cidr) {
        Shell.runIn(ns, "ip", "addr", "add", cidr, "dev", dev);
    }

    private static void sysctl(String ns, String key, String value) {
        Shell.runIn(ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    // ---- processes ----

    /** Starts {@code command} inside {@code ns} with output to {@code <workDir>/<name>.log}; stopped on close. */
    public ProcessGroup.Started start(String name, String ns, List<String> command) {
        return processes.start(name, Shell.inNamespace(ns, command.toArray(String[]::new)),
                workDir.resolve(name + ".log"));
    }

    /** Stops every process and deletes every namespace (and with them every interface, qdisc and nft table). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        processes.close();
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            Shell.tryRun("ip", "netns", "del", namespaces.get(i));
        }
        namespaces.clear();
        if (System.getenv("MPL_KEEP_LOGS") == null) {
            try (java.util.stream.Stream<Path> files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // leftover logs in /tmp are harmless
            }
        }
        Cleanup.unregister(this);
    }
}
