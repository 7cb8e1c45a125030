package dev.multipath.peer;

import dev.multipath.api.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Longest-prefix match from IPv4 and IPv6 prefixes to values (peers): WireGuard's cryptokey routing table. A
 * binary trie per address family, stored in flat arrays; {@link #lookup} walks at most 32 or 128 nodes and
 * allocates nothing, reading the address straight out of a packet buffer.
 *
 * <p>Immutable and therefore safe to share between threads: a change builds a new table ({@link #with},
 * {@link #without}), which the owner publishes through a volatile field (changes are rare, lookups per packet).
 *
 * @param <T> the value type; values are compared by identity when removed
 */
public final class PrefixTable<T> {

    private static final PrefixTable<?> EMPTY = new PrefixTable<>(List.of());

    private final List<Entry<T>> entries;
    private final Trie v4;
    private final Trie v6;

    /** One route: a prefix and where it goes. */
    public record Entry<T>(IpPrefix prefix, T value) {
    }

    private PrefixTable(List<Entry<T>> entries) {
        this.entries = List.copyOf(entries);
        this.v4 = new Trie(entries, true);
        this.v6 = new Trie(entries, false);
    }

    @SuppressWarnings("unchecked")
    public static <T> PrefixTable<T> empty() {
        return (PrefixTable<T>) EMPTY;
    }

    /**
     * A table with {@code prefixes} added for {@code value}. A prefix already present is taken over by
     * {@code value} (as in WireGuard: the last peer to claim a prefix gets it).
     */
    public PrefixTable<T> with(T value, List<IpPrefix> prefixes) {
        List<Entry<T>> next = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (!prefixes.contains(e.prefix())) {
                next.add(e);
            }
        }
        for (IpPrefix p : prefixes) {
            if (next.stream().noneMatch(e -> e.prefix().equals(p))) {
                next.add(new Entry<>(p, value));
            }
        }
        return new PrefixTable<>(next);
    }

    /** A table without any prefix that goes to {@code value}. */
    public PrefixTable<T> without(T value) {
        List<Entry<T>> next = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e.value() != value) {
                next.add(e);
            }
        }
        return new PrefixTable<>(next);
    }

    /** Every route, in the order added. */
    List<Entry<T>> entries() {
        return entries;
    }

    /** The prefixes that go to {@code value}. */
    List<IpPrefix> prefixesOf(T value) {
        List<IpPrefix> out = new ArrayList<>();
        for (Entry<T> e : entries) {
            if (e.value() == value) {
                out.add(e.prefix());
            }
        }
        return out;
    }

    /**
     * The value of the longest prefix containing the address at {@code addr[off]} (4 bytes if {@code v4}, else 16),
     * or null.
     */
    @SuppressWarnings("unchecked")
    T lookup(byte[] addr, int off, boolean isV4) {
        return (T) (isV4 ? v4 : v6).lookup(addr, off);
    }

    /**
     * The value for the destination address of the IP packet at {@code packet[off, off + len)}, or null (no route,
     * or too short to carry an address).
     */
    public T forDestination(byte[] packet, int off, int len) {
        return forAddress(packet, off, len, 16, 24);
    }

    /** The value for the source address of the IP packet at {@code packet[off, off + len)}, or null. */
    public T forSource(byte[] packet, int off, int len) {
        return forAddress(packet, off, len, 12, 8);
    }

    private T forAddress(byte[] packet, int off, int len, int v4At, int v6At) {
        if (len < 1) {
            return null;
        }
        int version = (packet[off] >> 4) & 0xf;
        if (version == 4 && len >= 20) {
            return lookup(packet, off + v4At, true);
        }
        if (version == 6 && len >= 40) {
            return lookup(packet, off + v6At, false);
        }
        return null;
    }

    /** One address family's trie: node 0 is the root; child index 0 means "none". */
    private static final class Trie {
        private int[] zero = new int[16];
        private int[] one = new int[16];
        private Object[] values = new Object[16];
        private int size = 1;
        private final int bits;

        Trie(List<? extends Entry<?>> entries, boolean v4) {
            this.bits = v4 ? 32 : 128;
            for (Entry<?> e : entries) {
                if (e.prefix().isV4() == v4) {
                    insert(e.prefix(), e.value());
                }
            }
        }

        private void insert(IpPrefix prefix, Object value) {
            int node = 0;
            for (int i = 0; i < prefix.length(); i++) {
                int[] side = prefix.bit(i) == 0 ? zero : one;
                if (side[node] == 0) {
                    int child = newNode();
                    side = prefix.bit(i) == 0 ? zero : one; // arrays may have grown
                    side[node] = child;
                }
                node = side[node];
            }
            values[node] = value;
        }

        private int newNode() {
            if (size == values.length) {
                zero = Arrays.copyOf(zero, size * 2);
                one = Arrays.copyOf(one, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            return size++;
        }

        Object lookup(byte[] addr, int off) {
            Object best = values[0];
            int node = 0;
            for (int i = 0; i < bits; i++) {
                int bit = (addr[off + (i >>> 3)] >>> (7 - (i & 7))) & 1;
                int next = bit == 0 ? zero[node] : one[node];
                if (next == 0) {
                    return best;
                }
                node = next;
                if (values[node] != null) {
                    best = values[node];
                }
            }
            return best;
        }
    }
}
