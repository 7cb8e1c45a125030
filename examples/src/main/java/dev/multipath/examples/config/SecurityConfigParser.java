package dev.multipath.examples.config;

import dev.multipath.auth.AuthMode;
import dev.multipath.auth.StaticKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code portal.mode}, {@code portal.private_key} / {@code portal.private_key_file} and
 * {@code [peer] public_key}. Keys are required unless {@code mode = "none"}, which turns authentication off and is
 * meant only for a lab you own.
 */
final class SecurityConfigParser {

    private SecurityConfigParser() {
    }

    /** Reads the [portal] security keys (call before the [portal] table rejects unknown keys). */
    static SecurityConfig read(TomlTable portal, Optional<TomlTable> peer) throws ConfigException {
        String modeText = portal.optionalString("mode").orElse("authenticate");
        Optional<AuthMode> mode;
        if (modeText.equals("none")) {
            mode = Optional.empty();
        } else {
            try {
                mode = Optional.of(AuthMode.parse(modeText));
            } catch (IllegalArgumentException e) {
                throw portal.error("mode", "expected \"authenticate\", \"encrypt\" or \"none\", got '" + modeText
                        + "'");
            }
        }
        boolean inline = portal.has("private_key");
        boolean file = portal.has("private_key_file");
        if (mode.isEmpty()) {
            if (inline || file || peer.isPresent()) {
                throw portal.error("mode", "\"none\" turns authentication off: remove the keys and [peer], or"
                        + " choose \"authenticate\"");
            }
            return SecurityConfig.none();
        }
        if (inline && file) {
            throw portal.error("private_key", "set either private_key or private_key_file, not both");
        }
        if (!inline && !file) {
            throw portal.error("private_key", "missing required key (generate one with `portal genkey`, or set"
                    + " private_key_file); mode = \"none\" turns authentication off for a test lab");
        }
        byte[] privateKey = inline ? decodeKey(portal, "private_key", portal.requiredString("private_key"))
                : readKeyFile(portal, portal.requiredString("private_key_file"));
        TomlTable peerTable = peer.orElseThrow(() -> new ConfigException("peer",
                "missing required table [peer] with public_key (the other portal's `portal pubkey`)"));
        byte[] peerKey = decodeKey(peerTable, "public_key", peerTable.requiredString("public_key"));
        peerTable.rejectUnknownKeys();
        return new SecurityConfig(mode, privateKey, peerKey);
    }

    private static byte[] decodeKey(TomlTable table, String key, String text) throws ConfigException {
        try {
            return StaticKeys.decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw table.error(key, "expected a base64 X25519 key of 32 bytes (from `portal genkey` /"
                    + " `portal pubkey`): " + e.getMessage());
        }
    }

    private static byte[] readKeyFile(TomlTable table, String name) throws ConfigException {
        Path path = Path.of(name);
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII);
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
                if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                    org.slf4j.LoggerFactory.getLogger(SecurityConfigParser.class).warn(
                            "private key file {} is readable by other users: chmod 600 it", path);
                }
            } catch (UnsupportedOperationException | IOException ignored) {
                // Not a POSIX file system: nothing to check.
            }
            return decodeKey(table, "private_key_file", text);
        } catch (NoSuchFileException e) {
            throw table.error("private_key_file", "file not found: " + name);
        } catch (IOException e) {
            throw table.error("private_key_file", "cannot read " + name + ": " + e.getMessage());
        }
    }
}
