package dev.multipath.lab.topo;

import dev.multipath.lab.LabException;
import dev.multipath.lab.RepoPaths;
import dev.multipath.lab.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The C link relay ({@code src/main/c/link_relay.c}, shipped as classpath resource {@code c/link_relay.c}), compiled
 * with gcc on first use and cached by content hash in {@code benchmarks/target}. Thread-safe.
 */
public final class RelayBinary {
    private static Path cached;

    private RelayBinary() {
    }

    /** Path of the compiled relay, compiling it if needed; throws {@link LabException} if gcc fails. */
    public static synchronized Path get() {
        if (cached != null && Files.isExecutable(cached)) {
            return cached;
        }
        byte[] source = loadSource();
        String hash = sha256(source).substring(0, 12);
        Path bin = RepoPaths.cacheDir().resolve("mpl-link-relay-" + hash);
        if (!Files.isExecutable(bin)) {
            try {
                Path src = Files.createTempFile("mpl-link-relay", ".c");
                Files.write(src, source);
                Path tmp = bin.resolveSibling(bin.getFileName() + ".tmp" + ProcessHandle.current().pid());
                Shell.run("gcc", "-O2", "-Wall", "-o", tmp.toString(), src.toString());
                Files.move(tmp, bin, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Files.deleteIfExists(src);
            } catch (IOException e) {
                throw new LabException("cannot build the link relay: " + e.getMessage(), e);
            }
        }
        cached = bin;
        return bin;
    }

    private static byte[] loadSource() {
        try (InputStream in = RelayBinary.class.getResourceAsStream("/c/link_relay.c")) {
            if (in != null) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new LabException("cannot read relay source: " + e.getMessage(), e);
        }
        Path p = RepoPaths.root().map(r -> r.resolve("benchmarks/src/main/c/link_relay.c"))
                .orElseThrow(() -> new LabException("link_relay.c not on the classpath and no repository found"));
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new LabException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
