package dev.multipath.transport.rawip;

import java.util.function.Consumer;

/**
 * The listener's links by source address: a bounded open-addressing hash table keyed by the address as two longs, so
 * that looking up the source of a datagram allocates nothing.
 *
 * <p>Bounded because any host can send us datagrams from any (spoofed) source address: when the table is full a new
 * address gets a slot only if some link has been silent for at least the eviction idle time (the one silent longest
 * is evicted; the search runs at most once per {@code scanIntervalNanos}), otherwise it is refused. Live paths are
 * never evicted, since the engine probes every path continuously.
 *
 * <p>Threading: confined to the receiver thread (and to close(), after that thread has stopped).
 */
final class LinkTable {

    private final int capacity;
    private final int mask;
    private final long[] his;
    private final long[] los;
    private final RawIpLink[] links;
    private int size;

    /** @param capacity most links held at once, 1..1<<20 */
    LinkTable(int capacity) {
        if (capacity < 1 || capacity > (1 << 20)) {
            throw new IllegalArgumentException("link table capacity " + capacity + " outside 1..1048576");
        }
        this.capacity = capacity;
        int slots = Integer.highestOneBit(capacity * 2 - 1) << 1; // power of two, at least twice the capacity
        this.mask = slots - 1;
        this.his = new long[slots];
        this.los = new long[slots];
        this.links = new RawIpLink[slots];
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    boolean isFull() {
        return size >= capacity;
    }

    /** The link for this address, or null. */
    RawIpLink get(long hi, long lo) {
        for (int i = home(hi, lo); ; i = (i + 1) & mask) {
            RawIpLink l = links[i];
            if (l == null) {
                return null;
            }
            if (his[i] == hi && los[i] == lo) {
                return l;
            }
        }
    }

    /** Adds a link for an address not in the table. The caller checks {@link #isFull()} first. */
    void add(RawIpLink link) {
        if (isFull()) {
            throw new IllegalStateException("link table full");
        }
        int i = home(link.keyHi, link.keyLo);
        while (links[i] != null) {
            i = (i + 1) & mask;
        }
        his[i] = link.keyHi;
        los[i] = link.keyLo;
        links[i] = link;
        size++;
    }

    /** The link silent longest, if it has been silent at least {@code minIdleNanos}; else null. O(slots). */
    RawIpLink idlest(long nowNanos, long minIdleNanos) {
        RawIpLink best = null;
        for (RawIpLink l : links) {
            if (l != null && nowNanos - l.lastSeenNanos >= minIdleNanos
                    && (best == null || l.lastSeenNanos - best.lastSeenNanos < 0)) {
                best = l;
            }
        }
        return best;
    }

    /** Removes the link (no-op if absent), keeping every probe chain intact (backward-shift deletion). */
    void remove(RawIpLink link) {
        int i = home(link.keyHi, link.keyLo);
        while (links[i] != link) {
            if (links[i] == null) {
                return;
            }
            i = (i + 1) & mask;
        }
        links[i] = null;
        size--;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            RawIpLink l = links[j];
            if (l == null) {
                return;
            }
            int k = home(his[j], los[j]);
            // l may move back to the hole at i unless its home lies cyclically in (i, j].
            boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
            if (!stays) {
                his[i] = his[j];
                los[i] = los[j];
                links[i] = l;
                links[j] = null;
                i = j;
            }
        }
    }

    void forEach(Consumer<RawIpLink> action) {
        for (RawIpLink l : links) {
            if (l != null) {
                action.accept(l);
            }
        }
    }

    private int home(long hi, long lo) {
        long h = (hi * 0x9E3779B97F4A7C15L) ^ lo;
        h *= 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
