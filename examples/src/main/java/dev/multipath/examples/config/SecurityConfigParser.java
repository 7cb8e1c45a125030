package dev.multipath.examples.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multipath.api.IpPrefix;
import dev.multipath.api.PeerSpec;
import dev.multipath.api.Role;
import dev.multipath.auth.AeadImplementation;
import dev.multipath.auth.AuthMode;
import dev.multipath.auth.StaticKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * Reads the [portal] security keys and the peer: one {@code [peer]} table, or on a remote portal serving many
     * local portals, {@code [[peer]]} tables with {@code name} (optional), {@code public_key} and
     * {@code allowed_ips} (call before the [portal] table rejects unknown keys).
     */
    static SecurityConfig read(TomlTable portal, TomlTable top, Role role) throws ConfigException {
        JsonNode raw = top.has("peer") ? top.raw("peer") : null;
        boolean many = raw != null && raw.isArray();
        Optional<TomlTable> single = many ? Optional.empty() : top.optionalTable("peer");
        Optional<AuthMode> mode = readMode(portal);
        AeadImplementation aead = readAead(portal);
        boolean inline = portal.has("private_key");
        boolean file = portal.has("private_key_file");
        if (mode.isEmpty()) {
            if (inline || file || single.isPresent() || many) {
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
        if (many) {
            if (role != Role.REMOTE) {
                throw new ConfigException("peer", "a local portal has one [peer] table (its remote portal);"
                        + " [[peer]] tables are for a remote portal serving many local portals");
            }
            return new SecurityConfig(mode, privateKey, new byte[0], readPeers((ArrayNode) raw), aead);
        }
        TomlTable peerTable = single.orElseThrow(() -> new ConfigException("peer",
                "missing required table [peer] with public_key (the other portal's `portal pubkey`)"));
        byte[] peerKey = decodeKey(peerTable, "public_key", peerTable.requiredString("public_key"));
        if (peerTable.has("allowed_ips")) {
            if (role != Role.REMOTE) {
                throw peerTable.error("allowed_ips", "only a remote portal routes by allowed_ips; a local portal"
                        + " sends everything to its one peer");
            }
            // A remote portal's single peer with allowed_ips: cryptokey routing with one peer.
            List<PeerSpec> one = List.of(new PeerSpec(peerTable.optionalString("name").orElse("peer"), peerKey,
                    readAllowedIps(peerTable)));
            peerTable.rejectUnknownKeys();
            return new SecurityConfig(mode, privateKey, new byte[0], one, aead);
        }
        peerTable.rejectUnknownKeys();
        return new SecurityConfig(mode, privateKey, peerKey, List.of(), aead);
    }

    private static AeadImplementation readAead(TomlTable portal) throws ConfigException {
        String text = portal.optionalString("aead").orElse("auto");
        try {
            return AeadImplementation.parse(text);
        } catch (IllegalArgumentException e) {
            throw portal.error("aead", e.getMessage());
        }
    }

    private static Optional<AuthMode> readMode(TomlTable portal) throws ConfigException {
        String modeText = portal.optionalString("mode").orElse("authenticate");
        if (modeText.equals("none")) {
            return Optional.empty();
        }
        try {
            return Optional.of(AuthMode.parse(modeText));
        } catch (IllegalArgumentException e) {
            throw portal.error("mode", "expected \"authenticate\", \"encrypt\" or \"none\", got '" + modeText
                    + "'");
        }
    }

    /** The [[peer]] tables: names (default peer1, peer2, ...) and keys unique, allowed_ips required. */
    private static List<PeerSpec> readPeers(ArrayNode array) throws ConfigException {
        if (array.isEmpty()) {
            throw new ConfigException("peer", "expected at least one [[peer]] table");
        }
        List<PeerSpec> peers = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> keys = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            int number = i + 1;
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw new ConfigException("peer[" + number + "]", "expected a [[peer]] table, got "
                        + TomlTable.describe(element));
            }
            TomlTable t = new TomlTable("peer[" + number + "]", (ObjectNode) element);
            String name = t.optionalString("name").orElse("peer" + number);
            if (name.isBlank() || name.contains("/")) {
                throw t.error("name", "expected a name without '/', got '" + name + "'");
            }
            String keyText = t.requiredString("public_key");
            byte[] key = decodeKey(t, "public_key", keyText);
            if (!t.has("allowed_ips")) {
                throw t.error("allowed_ips", "missing required key: the inner addresses this peer may use as source"
                        + " and that are routed to it, such as [\"10.1.0.0/24\", \"fd00:1::/64\"]");
            }
            List<IpPrefix> allowed = readAllowedIps(t);
            t.rejectUnknownKeys();
            Integer previous = names.putIfAbsent(name, number);
            if (previous != null) {
                throw t.error("name", "duplicate peer name '" + name + "' (also peer[" + previous + "])");
            }
            previous = keys.putIfAbsent(StaticKeys.encode(key), number);
            if (previous != null) {
                throw t.error("public_key", "the same key as peer[" + previous + "]");
            }
            peers.add(new PeerSpec(name, key, allowed));
        }
        return peers;
    }

    private static List<IpPrefix> readAllowedIps(TomlTable t) throws ConfigException {
        JsonNode value = t.raw("allowed_ips");
        List<JsonNode> items = new ArrayList<>();
        if (value.isTextual()) {
            items.add(value);
        } else if (value.isArray()) {
            value.forEach(items::add);
        } else {
            throw t.error("allowed_ips", "expected an array of prefixes like [\"10.1.0.0/24\"], got "
                    + TomlTable.describe(value));
        }
        List<IpPrefix> prefixes = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual()) {
                throw t.error("allowed_ips", "expected prefixes in quotes, got " + TomlTable.describe(item));
            }
            try {
                prefixes.add(IpPrefix.parse(item.textValue()));
            } catch (IllegalArgumentException e) {
                throw t.error("allowed_ips", e.getMessage());
            }
        }
        return prefixes;
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
