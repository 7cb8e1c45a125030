package dev.multipath.lab.multipeer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.multipath.auth.StaticKeys;
import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import dev.multipath.lab.portal.PortalCommand;
import dev.multipath.lab.portal.PortalConfigWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The portal processes of a {@link MultiPeerTopology}: one remote portal with a {@code [[peer]]} table per site, and
 * one local portal per site with its single {@code [peer]}. Started from generated configs with fresh keys, waited
 * for until every honest client pings the server through the tunnel (and every site has a session), stopped on
 * {@link #close()} (or with the topology). {@link #removePeer} rewrites the remote's config without a site and sends
 * it SIGHUP, as an operator would. Not thread-safe.
 */
public final class MultiPeerPortals implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MultiPeerTopology topo;
    private final String transport;
    private final String remotePrivate = StaticKeys.generatePrivateKeyBase64();
    private final List<String> localPrivate = new ArrayList<>();
    private final Set<Integer> configured = new LinkedHashSet<>();
    private final List<ProcessGroup.Started> locals = new ArrayList<>();
    private final Path remoteConfig;
    private ProcessGroup.Started remote;

    private MultiPeerPortals(MultiPeerTopology topo, String transport) {
        this.topo = topo;
        this.transport = transport;
        this.remoteConfig = topo.workDir().resolve("portal-remote.toml");
        for (int k = 1; k <= topo.sites().size(); k++) {
            localPrivate.add(StaticKeys.generatePrivateKeyBase64());
            configured.add(k);
        }
    }

    /**
     * Starts the remote portal, then every local portal, routes each client's traffic into its portal and waits (at
     * most {@code timeoutSeconds}) until it works: ping from every site in {@code honest} to the server, and a session
     * for every site with all its paths known to the remote portal. On failure stops them and throws {@link LabException} with the portals' logs.
     */
    public static MultiPeerPortals start(MultiPeerTopology topo, String transport, Set<Integer> honest,
            int timeoutSeconds) {
        MultiPeerPortals p = new MultiPeerPortals(topo, transport);
        try {
            p.writeRemoteConfig();
            List<String> rc = new ArrayList<>(PortalCommand.run(p.remoteConfig));
            if (hangupIgnored()) {
                // Started under nohup: the portal would inherit SIGHUP ignored and could not reload its peers.
                rc.addAll(0, List.of("env", "--default-signal=HUP"));
            }
            p.remote = topo.start("portal-remote", topo.rpNs(), rc);
            for (int k = 1; k <= topo.sites().size(); k++) {
                Path c = Files.writeString(topo.workDir().resolve("portal-local" + k + ".toml"), p.localConfig(k));
                p.locals.add(topo.start("portal-local" + k, topo.lpNs(k), PortalCommand.run(c)));
            }
            p.awaitReady(honest, timeoutSeconds);
            return p;
        } catch (IOException e) {
            p.close();
            throw new LabException("cannot write portal configs: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** Whether this process ignores SIGHUP (bit 0 of SigIgn in /proc/self/status), which children inherit. */
    static boolean hangupIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 1) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux-like: assume not
        }
        return false;
    }

    /** The remote portal's control socket. */
    public String remoteSocket() {
        return "/run/multipath/" + topo.id() + "-rp.sock";
    }

    public ProcessGroup.Started remote() {
        return remote;
    }

    public ProcessGroup.Started local(int k) {
        return locals.get(k - 1);
    }

    // ---- configs ----

    String localConfig(int k) {
        StringBuilder b = new StringBuilder();
        b.append("# generated by the lab (dev.multipath.lab.multipeer.MultiPeerPortals)\n");
        b.append("[portal]\n");
        b.append("role = \"local\"\n");
        b.append("tun = \"").append(topo.lpTun(k)).append("\"\n");
        b.append("address = \"").append(MultiPeerTopology.lpTunIp(k)).append("/24\"\n");
        b.append("mtu = ").append(PortalConfigWriter.mtu(transport)).append("\n");
        b.append("control_socket = \"/run/multipath/").append(topo.id()).append("-l").append(k).append(".sock\"\n");
        b.append("private_key = \"").append(localPrivate.get(k - 1)).append("\"\n\n");
        b.append("[peer]\npublic_key = \"").append(StaticKeys.publicKeyBase64(remotePrivate)).append("\"\n");
        for (int i = 1; i <= topo.site(k).links().size(); i++) {
            b.append("\n[[path]]\n");
            b.append("name = \"link").append(i).append("\"\n");
            b.append("transport = \"").append(transport).append("\"\n");
            b.append("local = \"").append(MultiPeerTopology.lpLinkIp(k, i)).append("\"\n");
            b.append("remote = \"").append(MultiPeerTopology.rpLinkIp(k, i)).append(':')
                    .append(PortalConfigWriter.PORT).append("\"\n");
        }
        return b.toString();
    }

    String remoteConfigText() {
        StringBuilder b = new StringBuilder();
        b.append("# generated by the lab (dev.multipath.lab.multipeer.MultiPeerPortals)\n");
        b.append("[portal]\n");
        b.append("role = \"remote\"\n");
        b.append("tun = \"").append(topo.rpTun()).append("\"\n");
        b.append("address = \"").append(MultiPeerTopology.rpTunCidr()).append("\"\n");
        b.append("mtu = ").append(PortalConfigWriter.mtu(transport)).append("\n");
        b.append("listen = \"0.0.0.0:").append(PortalConfigWriter.PORT).append("\"\n");
        b.append("control_socket = \"").append(remoteSocket()).append("\"\n");
        b.append("private_key = \"").append(remotePrivate).append("\"\n");
        for (int k : configured) {
            b.append("\n[[peer]]\n");
            b.append("name = \"").append(topo.site(k).name()).append("\"\n");
            b.append("public_key = \"").append(StaticKeys.publicKeyBase64(localPrivate.get(k - 1))).append("\"\n");
            b.append("allowed_ips = [\"").append(MultiPeerTopology.ownSubnet(k)).append("\", \"")
                    .append(MultiPeerTopology.lpTunIp(k)).append("/32\"]\n");
        }
        return b.toString();
    }

    private void writeRemoteConfig() throws IOException {
        Path tmp = remoteConfig.resolveSibling(remoteConfig.getFileName() + ".tmp");
        Files.writeString(tmp, remoteConfigText());
        Files.move(tmp, remoteConfig, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---- operations ----

    /**
     * Removes site {@code k} from the remote portal's config and sends the remote portal SIGHUP; returns once its
     * status no longer lists the peer (at most {@code timeoutMillis}), with the time that took in ms.
     */
    public long removePeer(int k, long timeoutMillis) {
        configured.remove(k);
        try {
            writeRemoteConfig();
        } catch (IOException e) {
            throw new LabException("cannot rewrite the remote config: " + e.getMessage(), e);
        }
        long t0 = System.nanoTime();
        Shell.run("sh", "-c", "kill -HUP " + remote.pid()); // the shell's kill: no procps needed
        String name = topo.site(k).name();
        while (peer(status(), name) != null) {
            if (System.nanoTime() - t0 > TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
                threadDump();
                throw failure("the remote portal still lists peer " + name + " " + timeoutMillis + " ms after SIGHUP");
            }
            sleep(20);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /** The remote portal's {@code status json} (its control socket). */
    public JsonNode status() {
        return query(remoteSocket(), "status json");
    }

    /** The peer block named {@code name} in a remote status, or null. */
    public static JsonNode peer(JsonNode status, String name) {
        for (JsonNode p : status.path("peers")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return null;
    }

    /** A drop counter of a status document or peer block ({@code reason} lower case); 0 if absent. */
    public static long drops(JsonNode node, String reason) {
        return node == null ? 0 : node.path("drops").path(reason).asLong(0);
    }

    static JsonNode query(String socket, String request) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String text = out.toString(StandardCharsets.UTF_8);
            if (text.startsWith("error:")) {
                throw new LabException("control socket " + socket + ": " + text.strip());
            }
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new LabException("control socket " + socket + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Set<Integer> honest, int timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        for (int k = 0; k <= topo.sites().size(); k++) {
            String ns = k == 0 ? topo.rpNs() : topo.lpNs(k);
            String tun = k == 0 ? topo.rpTun() : topo.lpTun(k);
            while (!Shell.tryRun("ip", "-n", ns, "link", "show", tun).ok()) {
                checkAlive();
                if (System.nanoTime() > deadline) {
                    throw failure("the portals did not create their TUN devices within " + timeoutSeconds + " s");
                }
                sleep(100);
            }
            // The portal brings its TUN up; doing it again is harmless.
            Shell.runIn(ns, "ip", "link", "set", tun, "up");
            if (k == 0) {
                for (int j = 1; j <= topo.sites().size(); j++) {
                    Shell.runIn(ns, "ip", "route", "replace", MultiPeerTopology.ownSubnet(j), "dev", tun);
                }
            } else {
                Shell.runIn(ns, "ip", "route", "replace", MultiPeerTopology.serverSubnet(), "dev", tun);
            }
        }
        for (int k : honest) {
            while (!Shell.tryRun("ip", "netns", "exec", topo.clientNs(k), "ping", "-c", "1", "-W", "1",
                    MultiPeerTopology.serverIp()).ok()) {
                checkAlive();
                if (System.nanoTime() > deadline) {
                    throw failure("ping from site " + k + " to the server got no answer within " + timeoutSeconds
                            + " s");
                }
                sleep(200);
            }
        }
        for (int k = 1; k <= topo.sites().size(); k++) {
            int links = topo.site(k).links().size();
            while (!joined(topo.site(k).name(), links)) {
                checkAlive();
                if (System.nanoTime() > deadline) {
                    throw failure("site " + k + " has no session, or the remote portal knows fewer than its " + links
                            + " paths, within " + timeoutSeconds + " s");
                }
                sleep(200);
            }
        }
    }

    /**
     * Whether the remote portal has a session with the peer and knows all its paths. A path joins with its first
     * authenticated frame; one that never does sends nothing (the pings above may all take another path), and the
     * site's flows would be measured on fewer links.
     */
    private boolean joined(String name, int links) {
        JsonNode p;
        try {
            p = peer(status(), name);
        } catch (LabException e) {
            return false; // control socket not there yet
        }
        return p != null && p.path("sessionEstablished").asBoolean(false) && p.path("paths").size() >= links;
    }

    private void checkAlive() {
        if (!remote.process().isAlive()) {
            throw failure("the remote portal exited (" + remote.process().exitValue() + ")");
        }
        for (ProcessGroup.Started l : locals) {
            if (!l.process().isAlive()) {
                throw failure(l.name() + " exited (" + l.process().exitValue() + ")");
            }
        }
    }

    /** The remote portal's threads into {@code remote-threads.txt} in the work directory, for a failure report. */
    private void threadDump() {
        try {
            Files.writeString(topo.workDir().resolve("remote-threads.txt"),
                    Shell.tryRun("sh", "-c", "grep -H Sig /proc/" + remote.pid() + "/status /proc/" + remote.pid()
                            + "/task/*/status; ps -o pid,pgid,sid,stat,args -p " + remote.pid()).stdout()
                    + Shell.tryRun("jcmd", Long.toString(remote.pid()), "Thread.print").stdout());
        } catch (IOException | LabException e) {
            // best effort
        }
    }

    LabException failure(String what) {
        StringBuilder b = new StringBuilder(what);
        b.append("\n--- remote portal log (").append(remote.log()).append(") ---\n").append(remote.logTail(3000));
        for (ProcessGroup.Started l : locals) {
            b.append("\n--- ").append(l.name()).append(" log ---\n").append(l.logTail(1500));
        }
        return new LabException(b.toString());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
        }
    }

    @Override
    public void close() {
        for (ProcessGroup.Started l : locals) {
            ProcessGroup.stop(l, 3000);
        }
        if (remote != null) {
            ProcessGroup.stop(remote, 3000);
        }
    }
}
