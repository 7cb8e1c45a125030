package dev.multipath.examples.config;

import dev.multipath.api.Role;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A validated portal config file: the {@code [portal]} table and the {@code [[path]]} tables. Immutable; every
 * instance has passed all checks of {@link #parse}, so a host program can use it without further validation.
 *
 * @param role    which end of the tunnel this portal is
 * @param tun     name of the TUN interface to create or attach
 * @param addresses addresses assigned to the TUN (IPv4 and IPv6, any number; {@code address} is a string or an array)
 * @param mtu     MTU of the TUN, 576..9000: as configured, or derived from the paths' link MTUs ({@link PathMtu})
 * @param listen  where paths arrive (remote portal only; empty on a local portal)
 * @param paths   the paths in file order (local portal only, at least one; empty on a remote portal)
 * @param security mode and keys ({@code mode}, {@code private_key}/{@code private_key_file}, {@code [peer]})
 * @param scheduler "auto", "earliest-arrival", "greedy", "weighted-round-robin" or "flow"
 * @param traffic  congestion controller and redundant traffic
 * @param operations control socket and metrics endpoint ({@code control_socket}, {@code metrics_listen})
 * @param routing  routing set-up keys ({@code routing}, {@code routes}, {@code nat}, {@code public_interface},
 *                 {@code routing_table})
 * @param tunOffload whether the TUN uses TSO/checksum offload ({@code tun_offload}, default true): TCP super-packets
 *                 read and written whole, cut and joined by the portal
 * @param mssClamp whether TCP SYNs read from the TUN get an MSS that fits the TUN MTU ({@code mss_clamp}, default
 *                 true): a connection's first full-size segments are then not refused by the tunnel
 */
public record PortalConfig(Role role, String tun, List<Cidr> addresses, int mtu,
        Optional<InetSocketAddress> listen, List<PathConfig> paths, SecurityConfig security, String scheduler,
        OperationsConfig operations, RoutingConfig routing, TrafficConfig traffic, boolean tunOffload,
        boolean mssClamp) {

    /** The first TUN address, if any (configs written before {@code address} could be a list have one). */
    public Optional<Cidr> address() {
        return addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.get(0));
    }

    /**
     * The transports a remote portal listens with, all on {@link #listen()}: TCP and UDP on its port, raw IP on its
     * address (protocol 253; needs CAP_NET_RAW; on {@code ::} one raw socket per family). Empty on a local portal.
     */
    public List<TransportKind> listenTransports() {
        return role == Role.REMOTE ? List.of(TransportKind.TCP, TransportKind.UDP, TransportKind.RAWIP) : List.of();
    }

    public PortalConfig {
        paths = List.copyOf(paths);
        addresses = List.copyOf(addresses);
    }

    /**
     * Reads and validates a config file.
     *
     * @throws ConfigException if the file cannot be read, is not valid TOML, or breaks a rule; the message
     *                         starts with the file name, then names the key and says what is wrong
     */
    public static PortalConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "config file not found").inFile(file);
        } catch (AccessDeniedException e) {
            throw new ConfigException("", "config file not readable (permission denied)").inFile(file);
        } catch (MalformedInputException e) {
            throw new ConfigException("", "config file is not UTF-8 text").inFile(file);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file: " + e.getMessage()).inFile(file);
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw e.inFile(file);
        }
    }

    /**
     * Parses and validates config text (TOML).
     *
     * @throws ConfigException on a syntax error or a broken rule; the message names the key
     */
    public static PortalConfig parse(String toml) throws ConfigException {
        return ConfigParser.parse(toml);
    }
}
