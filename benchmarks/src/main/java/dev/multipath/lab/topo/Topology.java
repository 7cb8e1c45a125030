package dev.multipath.lab.topo;

import dev.multipath.lab.Cleanup;
import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The lab network: namespaces client, local portal (lp), one middle namespace per link, remote portal (rp) and server,
 * wired and addressed per {@link Addressing}. Each middle namespace forwards a link (kernel bridge, or the C relay when
 * the link has delay or loss) and shapes it with tbf on its egress in both directions, so no sender shapes itself.
 *
 * <p>Names are {@code mpl} + 4 hex digits from the PID and a random number, so concurrent runs never collide.
 * {@link #close()} (also run by a shutdown hook) stops every process started here and deletes every namespace.
 * Logs and configs go to {@link #workDir()}, deleted on close unless env {@code MPL_KEEP_LOGS} is set.
 * Not thread-safe except {@link #close()}, which may race with a running method (it is used from the shutdown hook).
 */
public final class Topology implements AutoCloseable {
    private static final String TCP_MEM = "4096 131072 33554432";

    private final String id;
    private final Addressing addr;
    private final List<LinkSpec> links;
    private final List<String> namespaces = new ArrayList<>();
    private final ProcessGroup processes = new ProcessGroup();
    private final Path workDir;
    private final boolean[] blackholed;
    private Routing routing = Routing.NONE;
    private int directLink;
    private String lpTun;
    private String rpTun;
    private boolean closed;

    private enum Routing { NONE, TUNNEL, DIRECT }

    private Topology(List<LinkSpec> links) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        this.id = freshId("mpl");
        this.addr = new Addressing(20 + rnd.nextInt(220));
        this.links = List.copyOf(links);
        this.blackholed = new boolean[links.size() + 1];
        try {
            this.workDir = Files.createTempDirectory(id + "-");
        } catch (IOException e) {
            throw new LabException("cannot create a work directory: " + e.getMessage(), e);
        }
        if (System.getenv("MPL_KEEP_LOGS") != null) {
            // Several labs may run at once: say which kept directory is this run's.
            System.err.println("lab: keeping logs in " + workDir);
        }
    }

    /**
     * A namespace-name prefix ({@code prefix} + 4 hex digits) that no existing namespace uses: another lab or test JVM
     * may be running at the same time.
     */
    public static String freshId(String prefix) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        String existing = Shell.tryRun("ip", "netns", "list").stdout();
        String candidate;
        do {
            candidate = prefix + String.format(Locale.ROOT, "%04x", (ProcessHandle.current().pid() * 31
                    + rnd.nextInt(1 << 16)) & 0xffff);
        } while (existing.contains(candidate + "-"));
        return candidate;
    }

    /**
     * Builds the whole network for {@code links} (1 to 9 links). On failure everything created so far is removed and
     * a {@link LabException} is thrown.
     */
    public static Topology create(List<LinkSpec> links) {
        if (links.isEmpty() || links.size() > 9) {
            throw new IllegalArgumentException("1 to 9 links, not " + links.size());
        }
        Topology t = new Topology(links);
        Cleanup.register(t);
        try {
            t.build();
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    // ---- names ----

    public String id() {
        return id;
    }

    public Addressing addressing() {
        return addr;
    }

    public List<LinkSpec> links() {
        return links;
    }

    public String clientNs() {
        return id + "-c";
    }

    public String lpNs() {
        return id + "-lp";
    }

    public String rpNs() {
        return id + "-rp";
    }

    public String serverNs() {
        return id + "-s";
    }

    public String middleNs(int link) {
        return id + "-m" + link;
    }

    /** The local portal's interface of link {@code link} (1-based). */
    public String lpLinkIf(int link) {
        return id + "l" + link;
    }

    /** The remote portal's interface of link {@code link} (1-based). */
    public String rpLinkIf(int link) {
        return id + "r" + link;
    }

    /** A base name unique to this topology, for files outside the namespaces (such as the portals' control sockets). */
    public String tunName() {
        return id + "t";
    }

    /**
     * The local portal's TUN name. Distinct from the remote's although they live in different namespaces: the portal
     * names its control socket after the TUN, and the file system is shared.
     */
    public String lpTunName() {
        return id + "tl";
    }

    /** The remote portal's TUN name. */
    public String rpTunName() {
        return id + "tr";
    }

    /** Directory for logs and generated config files of this topology. */
    public Path workDir() {
        return workDir;
    }

    /** The group that owns every process started in this topology. */
    public ProcessGroup processes() {
        return processes;
    }

    // ---- building ----

    private void build() {
        for (String ns : allNamespaces()) {
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
        sysctl(lpNs(), "net.ipv4.ip_forward", "1");
        sysctl(rpNs(), "net.ipv4.ip_forward", "1");

        veth(clientNs(), id + "c", lpNs(), id + "lc");
        address(clientNs(), id + "c", addr.clientIp() + "/24");
        address(lpNs(), id + "lc", addr.lpClientSideIp() + "/24");
        Shell.runIn(clientNs(), "ip", "route", "add", "default", "via", addr.lpClientSideIp());

        veth(serverNs(), id + "s", rpNs(), id + "rs");
        address(serverNs(), id + "s", addr.serverIp() + "/24");
        address(rpNs(), id + "rs", addr.rpServerSideIp() + "/24");
        Shell.runIn(serverNs(), "ip", "route", "add", "default", "via", addr.rpServerSideIp());

        for (int i = 1; i <= links.size(); i++) {
            buildLink(i, links.get(i - 1));
        }
    }

    private void buildLink(int i, LinkSpec spec) {
        String m = middleNs(i);
        String a = id + "m" + i + "a";
        String b = id + "m" + i + "b";
        veth(lpNs(), lpLinkIf(i), m, a);
        veth(m, b, rpNs(), rpLinkIf(i));
        address(lpNs(), lpLinkIf(i), addr.lpLinkIp(i) + "/24");
        address(rpNs(), rpLinkIf(i), addr.rpLinkIp(i) + "/24");
        Shell.runIn(m, "ip", "link", "set", a, "up");
        Shell.runIn(m, "ip", "link", "set", b, "up");
        if (spec.needsRelay()) {
            long delayUs = Math.round(spec.delayMs() * 1000);
            long lossPpm = Math.round(spec.lossPct() * 10_000);
            List<String> cmd = Shell.inNamespace(m, RelayBinary.get().toString(), a, b, Long.toString(delayUs),
                    Long.toString(lossPpm), "0", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)));
            processes.start("relay" + i, cmd, workDir.resolve("relay" + i + ".log"));
        } else {
            String br = id + "m" + i + "br";
            Shell.runIn(m, "ip", "link", "add", br, "type", "bridge");
            Shell.runIn(m, "ip", "link", "set", a, "master", br);
            Shell.runIn(m, "ip", "link", "set", b, "master", br);
            Shell.runIn(m, "ip", "link", "set", br, "up");
        }
        applyRate(i, spec.rateMbit());
    }

    private List<String> allNamespaces() {
        List<String> all = new ArrayList<>(List.of(clientNs(), lpNs(), rpNs(), serverNs()));
        for (int i = 1; i <= links.size(); i++) {
            all.add(middleNs(i));
        }
        return all;
    }

    private static void veth(String ns1, String if1, String ns2, String if2) {
        Shell.run("ip", "link", "add", if1, "netns", ns1, "type", "veth", "peer", "name", if2, "netns", ns2);
        Shell.runIn(ns1, "ip", "link", "set", if1, "up");
        Shell.runIn(ns2, "ip", "link", "set", if2, "up");
    }

    private static void address(String ns, String dev, String cidr) {
        Shell.runIn(ns, "ip", "addr", "add", cidr, "dev", dev);
    }

    /**
     * The client and server (the inner TCP endpoints) ask for ECN on their connections ({@code tcp_ecn=1}; the kernel's
     * default 2 only answers a peer that asks). The portals and links are not touched.
     */
    public void enableEcn() {
        sysctl(clientNs(), "net.ipv4.tcp_ecn", "1");
        sysctl(serverNs(), "net.ipv4.tcp_ecn", "1");
    }

    private static void sysctl(String ns, String key, String value) {
        Shell.runIn(ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /**
     * tbf on both egress sides of the middle namespace; {@code mbit <= 0} removes shaping. Burst per LAB.md:
     * max(1 ms worth of bytes, 3200), accurate within 1 % from 10 to 500 Mbit/s.
     */
    private void applyRate(int i, double mbit) {
        LinkSpec spec = links.get(i - 1);
        for (String dev : List.of(id + "m" + i + "a", id + "m" + i + "b")) {
            shape(middleNs(i), dev, mbit, spec.queueBytes());
        }
    }

    /**
     * Shapes {@code dev}'s egress in {@code ns} with tbf at {@code mbit} (burst max(1 ms of bytes, 3200); queue
     * {@code queueBytes}, or 50 ms when 0); {@code mbit <= 0} removes shaping. Also used by other lab topologies.
     */
    public static void shape(String ns, String dev, double mbit, int queueBytes) {
        if (mbit <= 0) {
            Shell.tryRun("tc", "-n", ns, "qdisc", "del", "dev", dev, "root");
            return;
        }
        long burst = Math.max(Math.round(mbit * 125), 3200);
        String rate = String.format(Locale.ROOT, "%.3fmbit", mbit);
        List<String> cmd = new ArrayList<>(List.of("tc", "-n", ns, "qdisc", "replace", "dev", dev,
                "root", "tbf", "rate", rate, "burst", Long.toString(burst)));
        if (queueBytes > 0) {
            cmd.addAll(List.of("limit", Integer.toString(queueBytes)));
        } else {
            cmd.addAll(List.of("latency", "50ms"));
        }
        Shell.run(cmd.toArray(String[]::new));
    }

    // ---- routing ----

    /**
     * Routes client-server traffic through the portals' TUN devices: on lp the server subnet goes into the TUN, on rp
     * the client subnet. The TUN devices must exist (the portals create them).
     */
    public void routeThroughTunnel(String lpTunName, String rpTunName) {
        this.lpTun = lpTunName;
        this.rpTun = rpTunName;
        this.routing = Routing.TUNNEL;
        applyRoutes();
    }

    /** Routes client-server traffic directly over link {@code link} alone (the baseline), forwarded by lp and rp. */
    public void routeDirect(int link) {
        this.routing = Routing.DIRECT;
        this.directLink = link;
        applyRoutes();
    }

    private void applyRoutes() {
        switch (routing) {
            case TUNNEL -> {
                Shell.runIn(lpNs(), "ip", "route", "replace", addr.serverSubnet(), "dev", lpTun);
                Shell.runIn(rpNs(), "ip", "route", "replace", addr.clientSubnet(), "dev", rpTun);
            }
            case DIRECT -> {
                Shell.runIn(lpNs(), "ip", "route", "replace", addr.serverSubnet(), "via", addr.rpLinkIp(directLink));
                Shell.runIn(rpNs(), "ip", "route", "replace", addr.clientSubnet(), "via", addr.lpLinkIp(directLink));
            }
            case NONE -> {
            }
        }
    }

    // ---- events ----

    /** Applies one scripted event. */
    public void apply(LinkEvent e) {
        switch (e.kind()) {
            case RATE -> applyRate(e.link(), e.value());
            case DOWN -> Shell.runIn(lpNs(), "ip", "link", "set", lpLinkIf(e.link()), "down");
            case BLACKHOLE -> blackhole(e.link());
            case RESTORE -> restore(e.link());
        }
    }

    /** Silent black hole: nft netdev ingress drop on both portals' interfaces of the link; they stay up. */
    private void blackhole(int link) {
        blackholeOne(lpNs(), lpLinkIf(link), link);
        blackholeOne(rpNs(), rpLinkIf(link), link);
        blackholed[link] = true;
    }

    private static void blackholeOne(String ns, String dev, int link) {
        String table = "mplbh" + link;
        Shell.runIn(ns, "nft", "add", "table", "netdev", table);
        Shell.runIn(ns, "nft", "add", "chain", "netdev", table, "in",
                "{ type filter hook ingress device " + dev + " priority 0 ; policy drop ; }");
    }

    /** Brings the link back: interface up, black hole removed, declared rate, routes re-added. */
    private void restore(int link) {
        Shell.runIn(lpNs(), "ip", "link", "set", lpLinkIf(link), "up");
        if (blackholed[link]) {
            Shell.tryRun("ip", "netns", "exec", lpNs(), "nft", "delete", "table", "netdev", "mplbh" + link);
            Shell.tryRun("ip", "netns", "exec", rpNs(), "nft", "delete", "table", "netdev", "mplbh" + link);
            blackholed[link] = false;
        }
        applyRate(link, links.get(link - 1).rateMbit());
        applyRoutes();
    }

    // ---- processes ----

    /** Starts {@code command} inside {@code ns} with output to {@code <workDir>/<name>.log}; stopped on close. */
    public ProcessGroup.Started start(String name, String ns, List<String> command) {
        return processes.start(name, Shell.inNamespace(ns, command.toArray(String[]::new)),
                workDir.resolve(name + ".log"));
    }

    private void deleteWorkDir() {
        try (java.util.stream.Stream<Path> files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leftover logs in /tmp are harmless
        }
    }

    /** Stops all processes and deletes all namespaces (and with them every interface, qdisc and nft table). */
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
            deleteWorkDir();
        }
        Cleanup.unregister(this);
    }
}
