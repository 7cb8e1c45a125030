package dev.multipath.lab.portal;

import dev.multipath.lab.LabException;
import dev.multipath.lab.ProcessGroup;
import dev.multipath.lab.Shell;
import dev.multipath.lab.topo.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The two portal processes of a {@link Topology}: started with generated configs, waited for until ping from the
 * client to the server answers through the tunnel, stopped on {@link #close()} (or with the topology). Not thread-safe.
 */
public final class Portals implements AutoCloseable {
    private final Topology topo;
    private final ProcessGroup.Started local;
    private final ProcessGroup.Started remote;

    private Portals(Topology topo, ProcessGroup.Started local, ProcessGroup.Started remote) {
        this.topo = topo;
        this.local = local;
        this.remote = remote;
    }

    /**
     * Starts the remote then the local portal with {@code transport} on every link, routes client-server traffic
     * through the tunnel and waits (at most {@code timeoutSeconds}) until ping answers through it. On failure stops
     * both and throws {@link LabException} carrying both portals' logs.
     */
    public static Portals start(Topology topo, String transport, int timeoutSeconds) {
        return start(topo, PortalSettings.of(transport), timeoutSeconds);
    }

    /** As {@link #start(Topology, String, int)}, with the scheduler, metrics and redundant ports of {@code s}. */
    public static Portals start(Topology topo, PortalSettings s, int timeoutSeconds) {
        Path dir = topo.workDir();
        try {
            Path rc = Files.writeString(dir.resolve("portal-remote.toml"), PortalConfigWriter.remote(topo, s));
            Path lc = Files.writeString(dir.resolve("portal-local.toml"), PortalConfigWriter.local(topo, s));
            ProcessGroup.Started remote = topo.start("portal-remote", topo.rpNs(), PortalCommand.run(rc));
            ProcessGroup.Started local = topo.start("portal-local", topo.lpNs(), PortalCommand.run(lc));
            Portals p = new Portals(topo, local, remote);
            try {
                p.awaitReady(timeoutSeconds);
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
            return p;
        } catch (IOException e) {
            throw new LabException("cannot write portal configs: " + e.getMessage(), e);
        }
    }

    public ProcessGroup.Started local() {
        return local;
    }

    public ProcessGroup.Started remote() {
        return remote;
    }

    /**
     * {@code portal status --json} of the local or the remote portal, read from its control socket; null if it does
     * not answer (a diagnostic, never fatal).
     */
    public String statusJson(boolean remote) {
        java.util.List<String> cmd = new java.util.ArrayList<>(PortalCommand.run(Path.of("unused")));
        cmd = new java.util.ArrayList<>(cmd.subList(0, cmd.size() - 3));
        cmd.addAll(java.util.List.of("status", "--json", "--socket", "/run/multipath/" + topo.tunName()
                + (remote ? "-remote" : "-local") + ".sock"));
        Shell.Result r = Shell.tryRun(cmd.toArray(String[]::new));
        return r.ok() ? r.stdout() : null;
    }

    /** Routes client-server traffic through the tunnel again (after a baseline routed it over one link). */
    public void routeThroughTunnel() {
        topo.routeThroughTunnel(topo.lpTunName(), topo.rpTunName());
    }

    private void awaitReady(int timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!(hasLink(topo.lpNs(), topo.lpTunName()) && hasLink(topo.rpNs(), topo.rpTunName()))) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw failure("the portals did not create their TUN devices within " + timeoutSeconds + " s");
            }
            sleep(100);
        }
        // The portal should bring its TUN up; doing it again is harmless and keeps the lab working if it does not.
        Shell.runIn(topo.lpNs(), "ip", "link", "set", topo.lpTunName(), "up");
        Shell.runIn(topo.rpNs(), "ip", "link", "set", topo.rpTunName(), "up");
        routeThroughTunnel();
        while (!Shell.tryRun("ip", "netns", "exec", topo.clientNs(), "ping", "-c", "1", "-W", "1",
                topo.addressing().serverIp()).ok()) {
            checkAlive();
            if (System.nanoTime() > deadline) {
                throw failure("ping from client to server through the tunnel got no answer within " + timeoutSeconds
                        + " s");
            }
            sleep(200);
        }
    }

    private static boolean hasLink(String ns, String dev) {
        return Shell.tryRun("ip", "-n", ns, "link", "show", dev).ok();
    }

    private void checkAlive() {
        if (!local.process().isAlive() || !remote.process().isAlive()) {
            throw failure("a portal exited (local " + status(local) + ", remote " + status(remote) + ")");
        }
    }

    private static String status(ProcessGroup.Started s) {
        return s.process().isAlive() ? "running" : "exit " + s.process().exitValue();
    }

    private LabException failure(String what) {
        return new LabException(what + "\n--- local portal log (" + local.log() + ") ---\n" + local.logTail(3000)
                + "\n--- remote portal log (" + remote.log() + ") ---\n" + remote.logTail(3000));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the portals", e);
        }
    }

    @Override
    public void close() {
        ProcessGroup.stop(local, 3000);
        ProcessGroup.stop(remote, 3000);
    }
}
