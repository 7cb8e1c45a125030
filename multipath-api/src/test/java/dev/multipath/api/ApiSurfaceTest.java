package dev.multipath.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the public surface of multipath-api small and deliberate (issue #8, docs/decisions.md): reads the compiled
 * classes of this module and its module descriptor.
 *
 * <p>A type that becomes public, or stops being public, makes this test fail until it is added to or removed from
 * one of the lists below. Before adding to {@link #INTERNAL_PUBLIC}: make it package-private if only its own package
 * uses it; add it to {@link #API} only if a host program needs it.
 */
class ApiSurfaceTest {

    /** The packages module-info.java exports to everyone: the API. */
    static final Set<String> API_PACKAGES = Set.of("dev.multipath.api", "dev.multipath.auth", "dev.multipath.buffer",
            "dev.multipath.sched");

    /** Our own modules, the only ones the internal packages may be exported to. */
    static final Set<String> OWN_MODULES = Set.of("dev.multipath.tun", "dev.multipath.transport.tcp",
            "dev.multipath.transport.udp", "dev.multipath.transport.rawip", "dev.multipath.examples",
            "dev.multipath.benchmarks");

    /** Every public type of the API packages. */
    static final Set<String> API = Set.of(
            "dev.multipath.api.Authenticator",
            "dev.multipath.api.DropReason",
            "dev.multipath.api.FrameSink",
            "dev.multipath.api.IpPrefix",
            "dev.multipath.api.Link",
            "dev.multipath.api.PacketSource",
            "dev.multipath.api.PathView",
            "dev.multipath.api.PeerSpec",
            "dev.multipath.api.Portal",
            "dev.multipath.api.Portal$Builder",
            "dev.multipath.api.PortalStatus",
            "dev.multipath.api.PortalStatus$Congestion",
            "dev.multipath.api.PortalStatus$Path",
            "dev.multipath.api.PortalStatus$Peer",
            "dev.multipath.api.PortalStatus$Reorder",
            "dev.multipath.api.RedundancyPolicy",
            "dev.multipath.api.Role",
            "dev.multipath.api.Scheduler",
            "dev.multipath.api.Transport",
            "dev.multipath.auth.AeadImplementation",
            "dev.multipath.auth.AuthMode",
            "dev.multipath.auth.AuthSettings",
            "dev.multipath.auth.NoiseIkAuthenticator",
            // The multi-peer responder's parts: the engine's PeerHub (another package) uses them, and a package
            // cannot export one type and hide another; they are documented building blocks of the auth layer.
            "dev.multipath.auth.NoiseIkResponder",
            "dev.multipath.auth.NoiseIkResponder$Initiation",
            "dev.multipath.auth.SessionIndexTable",
            "dev.multipath.auth.PassThroughAuthenticator",
            "dev.multipath.auth.StaticKeys",
            "dev.multipath.buffer.Packet",
            "dev.multipath.sched.EarliestArrivalScheduler",
            "dev.multipath.sched.FlowPinningScheduler",
            "dev.multipath.sched.GreedyScheduler",
            "dev.multipath.sched.WeightedRoundRobinScheduler");

    /**
     * Public types outside the API packages, and who needs them public. Not API: module-info.java exports their
     * packages only to our benchmarks, and the Javadoc leaves them out.
     */
    static final Set<String> INTERNAL_PUBLIC = Set.of(
            // cc: the engine drives each path's controller; benchmarks measure it (CongestionBenchmark)
            "dev.multipath.cc.AckCodec",
            "dev.multipath.cc.CongestionController",
            "dev.multipath.cc.CongestionControllers",
            "dev.multipath.cc.PathController",
            "dev.multipath.cc.PathControllerConfig",
            // engine: assembled by api.Portal, driven by sim.SimNetwork and ForwardBenchmark
            "dev.multipath.engine.CoDel",
            "dev.multipath.engine.ControlOutput",
            "dev.multipath.engine.EnginePath",
            "dev.multipath.engine.InboundAction",
            "dev.multipath.engine.PacketPool",
            "dev.multipath.engine.PeerHub",
            "dev.multipath.engine.PeerHub$Peer",
            "dev.multipath.engine.PeerHub$PeerRuntimeFactory",
            "dev.multipath.engine.PortalCore",
            "dev.multipath.engine.PortalRuntime",
            "dev.multipath.engine.SourceFilter",
            // frame: the wire format, written and read by auth, cc, engine; FrameHeaderBenchmark
            "dev.multipath.frame.FlowKey",
            "dev.multipath.frame.EcnMark", // engine.PortalCore marks CE instead of dropping (CoDel)
            "dev.multipath.frame.FrameHeader",
            "dev.multipath.frame.FrameType",
            "dev.multipath.frame.InnerPacket",
            "dev.multipath.frame.MssClamp", // engine.PortalCore clamps SYNs read from the source
            // peer: engine.PeerHub routes by allowed IPs
            "dev.multipath.peer.PrefixTable",
            "dev.multipath.peer.PrefixTable$Entry",
            // reorder: engine.PortalRuntime and sim; ReorderBenchmark
            "dev.multipath.reorder.FlowReorderBuffer",
            // sim: test doubles and the simulator, for the tests of other packages and modules and ForwardBenchmark
            "dev.multipath.sim.InMemoryPacketSource",
            "dev.multipath.sim.MemoryTransport",
            "dev.multipath.sim.SimClock",
            "dev.multipath.sim.SimLink",
            "dev.multipath.sim.SimLinkSpec",
            "dev.multipath.sim.SimNetwork",
            "dev.multipath.sim.SimNetwork$Builder",
            "dev.multipath.sim.SimNetwork$Delivery",
            "dev.multipath.sim.TestPackets",
            // stats: live counters the engine writes and api.Portal reads
            "dev.multipath.stats.DropCounters",
            "dev.multipath.stats.PathStats");

    @Test
    void theModuleExportsExactlyTheApiPackagesToEveryone() throws IOException {
        ModuleDescriptor module = descriptor();
        Set<String> unqualified = module.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        assertThat(unqualified).as("packages exported to everyone (module-info.java)")
                .containsExactlyInAnyOrderElementsOf(API_PACKAGES);
        for (ModuleDescriptor.Exports e : module.exports()) {
            if (e.isQualified()) {
                assertThat(OWN_MODULES).as("modules %s is exported to", e.source()).containsAll(e.targets());
            }
        }
        assertThat(module.opens()).as("open packages").isEmpty();
    }

    @Test
    void everyPublicTypeIsApiOrOnTheInternalAllowList() throws Exception {
        Set<String> api = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        for (Class<?> c : compiledClasses()) {
            if (isExposed(c)) {
                (API_PACKAGES.contains(c.getPackageName()) ? api : internal).add(c.getName());
            }
        }
        assertThat(internal).as("public types outside the API packages: make a new one package-private, or list it"
                + " in INTERNAL_PUBLIC with who needs it; remove entries that are no longer public")
                .containsExactlyInAnyOrderElementsOf(INTERNAL_PUBLIC);
        assertThat(api).as("public types of the API packages: a new one is new API (list it in API deliberately)")
                .containsExactlyInAnyOrderElementsOf(API);
    }

    @Test
    void theApiNamesNoInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : compiledClasses()) {
            if (!isExposed(c) || !API_PACKAGES.contains(c.getPackageName())) {
                continue;
            }
            check(c.getName() + " extends", c.getGenericSuperclass(), leaks);
            for (Type t : c.getGenericInterfaces()) {
                check(c.getName() + " implements", t, leaks);
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k)) {
                    for (Type t : k.getGenericParameterTypes()) {
                        check(c.getName() + " constructor", t, leaks);
                    }
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m) && !m.isSynthetic()) {
                    check(c.getName() + "." + m.getName() + " returns", m.getGenericReturnType(), leaks);
                    for (Type t : m.getGenericParameterTypes()) {
                        check(c.getName() + "." + m.getName() + " takes", t, leaks);
                    }
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f)) {
                    check(c.getName() + "." + f.getName(), f.getGenericType(), leaks);
                }
            }
        }
        assertThat(leaks).as("API signatures naming types of non-API packages").isEmpty();
    }

    private static boolean visible(Member m) {
        int mod = m.getModifiers();
        return Modifier.isPublic(mod) || Modifier.isProtected(mod);
    }

    private static void check(String where, Type type, List<String> leaks) {
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getName().startsWith("dev.multipath.") && !API_PACKAGES.contains(c.getPackageName())) {
                leaks.add(where + " " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(where, p.getRawType(), leaks);
            for (Type a : p.getActualTypeArguments()) {
                check(where, a, leaks);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(where, b, leaks);
            }
            for (Type b : w.getLowerBounds()) {
                check(where, b, leaks);
            }
        } else if (type instanceof GenericArrayType g) {
            check(where, g.getGenericComponentType(), leaks);
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(where, b, leaks);
            }
        }
    }

    /** Public, and so is every enclosing type. */
    private static boolean isExposed(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static ModuleDescriptor descriptor() throws IOException {
        try (InputStream in = Files.newInputStream(classesRoot().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    /** Every class of the module's main code (target/classes), loaded without initialising it. */
    private static List<Class<?>> compiledClasses() throws IOException, ClassNotFoundException {
        Path root = classesRoot();
        List<String> names;
        try (Stream<Path> files = Files.walk(root)) {
            names = files.map(root::relativize).map(Path::toString).filter(n -> n.endsWith(".class"))
                    .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).sorted().toList();
        }
        assertThat(names).as("classes under " + root).hasSizeGreaterThan(50);
        List<Class<?>> classes = new ArrayList<>();
        for (String n : names) {
            classes.add(Class.forName(n, false, ApiSurfaceTest.class.getClassLoader()));
        }
        return classes;
    }

    private static Path classesRoot() {
        try {
            Path root = Path.of(Portal.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(root).as("multipath-api's classes as a directory (run by Maven)").isDirectory();
            return root;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
