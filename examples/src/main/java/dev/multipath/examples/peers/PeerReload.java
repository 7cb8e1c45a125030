package dev.multipath.examples.peers;

import dev.multipath.api.PeerSpec;
import dev.multipath.api.Portal;
import dev.multipath.examples.config.ConfigException;
import dev.multipath.examples.config.PortalConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads a remote portal's {@code [[peer]]} tables and applies the difference to the running portal, like
 * {@code wg syncconf}: a peer no longer in the file is removed, a new one added, a changed one (key or allowed IPs)
 * replaced; peers that did not change are not touched (their sessions and flows go on). {@code portal run} does
 * this on SIGHUP.
 *
 * <p>Threading: {@link #apply} and {@link #reload} are called from one thread at a time (the signal thread);
 * the portal's own methods are thread-safe.
 */
public final class PeerReload {

    private static final Logger LOG = LoggerFactory.getLogger(PeerReload.class);

    /** What a reload did. */
    public record Result(List<String> added, List<String> removed, List<String> replaced) {
        public boolean changed() {
            return !added.isEmpty() || !removed.isEmpty() || !replaced.isEmpty();
        }
    }

    private PeerReload() {
    }

    /** Makes the portal's peers equal to {@code wanted}, touching only those that differ. */
    public static Result apply(Portal portal, List<PeerSpec> wanted) throws IOException {
        Map<String, PeerSpec> current = new HashMap<>();
        for (PeerSpec p : portal.peers()) {
            current.put(p.name(), p);
        }
        Map<String, PeerSpec> next = new HashMap<>();
        for (PeerSpec p : wanted) {
            next.put(p.name(), p);
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        for (PeerSpec p : portal.peers()) {
            PeerSpec w = next.get(p.name());
            if (w == null) {
                portal.removePeer(p.name());
                removed.add(p.name());
            } else if (!w.equals(p)) {
                portal.removePeer(p.name());
                replaced.add(p.name());
            }
        }
        for (PeerSpec w : wanted) {
            PeerSpec p = current.get(w.name());
            if (p == null || !p.equals(w)) {
                portal.addPeer(w);
                if (p == null) {
                    added.add(w.name());
                }
            }
        }
        return new Result(added, removed, replaced);
    }

    /** Reads {@code config} and applies its peers; a bad file is logged and changes nothing. */
    public static void reload(Path config, Portal portal) {
        try {
            PortalConfig c = PortalConfig.load(config);
            if (!c.security().multiPeer()) {
                LOG.warn("reload: {} has no [[peer]] tables; peers left as they are", config);
                return;
            }
            Result r = apply(portal, c.security().peers());
            LOG.info("reload: peers added {}, removed {}, replaced {}", r.added(), r.removed(), r.replaced());
        } catch (ConfigException e) {
            LOG.error("reload: {}; peers left as they are", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("reload failed: {}", e.toString());
        }
    }

    /**
     * Installs a SIGHUP handler that reloads {@code config} into {@code portal} (through {@code sun.misc.Signal}
     * by reflection, as {@code ShutdownSignal}).
     *
     * @return false if the JVM would not let us handle SIGHUP, or the process ignores it (inherited from a parent
     *         such as nohup: the JVM then installs no handler)
     */
    public static boolean onSighup(Path config, Portal portal) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Object handler = Proxy.newProxyInstance(PeerReload.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                LOG.info("SIGHUP received, reloading peers from {}", config);
                                reload(config, portal);
                                return null;
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            case "equals":
                                return proxy == args[0];
                            default:
                                return "portal SIGHUP handler";
                        }
                    });
            Object previous = handle.invoke(null, signalType.getConstructor(String.class).newInstance("HUP"), handler);
            if (previous == handlerType.getField("SIG_IGN").get(null)) {
                // The JVM keeps a signal its parent ignored (nohup, some supervisors) ignored and installs nothing.
                LOG.warn("SIGHUP is ignored by this process (started under nohup?): [[peer]] changes need a restart");
                return false;
            }
            return true;
        } catch (ReflectiveOperationException | LinkageError | IllegalArgumentException e) {
            LOG.warn("cannot handle SIGHUP ({}): reload peers by restarting", e.toString());
            return false;
        }
    }
}
