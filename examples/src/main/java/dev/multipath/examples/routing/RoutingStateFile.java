package dev.multipath.examples.routing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of what {@code up} added: the undo commands of the steps that succeeded, oldest first, one per line
 * (arguments separated by tabs). Written after every step, so {@code portal down} removes exactly what was added even
 * after a crash or a {@code kill -9}, and never anything else. Replaced atomically; not thread-safe.
 */
public final class RoutingStateFile {

    private static final String HEADER = "# portal routing state: undo commands, oldest first (portal down runs them"
            + " newest first)";

    private final Path file;

    public RoutingStateFile(Path file) {
        this.file = file;
    }

    /** The state file of the portal on TUN {@code tun} whose control socket is {@code controlSocket}. */
    public static RoutingStateFile forPortal(Path controlSocket, String tun) {
        return new RoutingStateFile(controlSocket.resolveSibling(tun + ".routing"));
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** The recorded undo commands, oldest first. */
    public List<HostCommand> read() throws RoutingException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RoutingException("no routing state at " + file + " (routing is not up)");
        } catch (IOException e) {
            throw new RoutingException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<HostCommand> undos = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank() && !line.startsWith("#")) {
                try {
                    undos.add(HostCommand.fromRecord(line));
                } catch (IllegalArgumentException e) {
                    throw new RoutingException(file + " is damaged: " + e.getMessage(), e);
                }
            }
        }
        return undos;
    }

    /** Replaces the record (creating the directory); an empty list deletes the file. */
    public void write(List<HostCommand> undos) throws RoutingException {
        try {
            if (undos.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            StringBuilder text = new StringBuilder(HEADER).append('\n');
            undos.forEach(u -> text.append(u.toRecord()).append('\n'));
            Path temporary = directory.resolve(file.getFileName() + ".tmp");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RoutingException("cannot write routing state " + file + ": " + e.getMessage(), e);
        }
    }
}
