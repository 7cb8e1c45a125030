package dev.multipath.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the repository root (for {@code examples/target/portal.jar} and the build cache in {@code benchmarks/target}).
 * Order: env {@code MP_REPO_ROOT} (set by surefire and {@code ./lab}), then the working directory and its parents.
 */
public final class RepoPaths {
    private RepoPaths() {
    }

    /** The repository root, if one can be found. */
    public static Optional<Path> root() {
        String env = System.getenv("MP_REPO_ROOT");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, "benchmarks"))) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("benchmarks")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** A directory for build artefacts of the lab: {@code benchmarks/target} or the temp directory. */
    public static Path cacheDir() {
        return root().map(r -> r.resolve("benchmarks/target")).filter(Files::isDirectory)
                .orElse(Path.of(System.getProperty("java.io.tmpdir")));
    }
}
