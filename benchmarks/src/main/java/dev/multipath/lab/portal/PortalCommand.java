package dev.multipath.lab.portal;

import dev.multipath.lab.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that runs a portal: {@code java --enable-native-access=ALL-UNNAMED -jar examples/target/portal.jar
 * run -c FILE} when the shaded jar exists, else the portal's main class from this JVM's class path (the benchmarks
 * module depends on examples). Java is {@code $JAVA_HOME/bin/java} if set, else {@code java} on PATH. Stateless.
 */
public final class PortalCommand {
    static final String MAIN_CLASS = "dev.multipath.examples.PortalMain";

    private PortalCommand() {
    }

    /** The shaded portal jar, if built. Env {@code MPL_PORTAL_JAR} overrides the location. */
    public static Optional<Path> portalJar() {
        String env = System.getenv("MPL_PORTAL_JAR");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(Files::isRegularFile);
        }
        return RepoPaths.root().map(r -> r.resolve("examples/target/portal.jar")).filter(Files::isRegularFile);
    }

    /** Command to run a portal from {@code config}. */
    public static List<String> run(Path config) {
        List<String> cmd = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        cmd.add(javaHome != null && !javaHome.isBlank() ? Path.of(javaHome, "bin", "java").toString() : "java");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        Optional<Path> jar = portalJar();
        if (jar.isPresent()) {
            cmd.add("-jar");
            cmd.add(jar.get().toString());
        } else {
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(MAIN_CLASS);
        }
        cmd.add("run");
        cmd.add("-c");
        cmd.add(config.toString());
        return cmd;
    }
}
