package dev.multipath.transport.udp;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Listening side: the links by peer source address, created on the first datagram from an address and evicted
 * least-recently-heard-first beyond a bound, so that a flood of spoofed sources costs bounded memory. A link here
 * proves nothing: the engine trusts a link only after an authenticated frame arrived on it.
 *
 * <p>Threading: used only by the transport's receive thread (and {@link #forEach} at close).
 */
final class PeerTable {

    private final int max;
    private final LinkedHashMap<InetSocketAddress, UdpLink> links;
    private UdpLink evicted;

    PeerTable(int max) {
        this.max = max;
        this.links = new LinkedHashMap<>(Math.min(max, 64) * 2, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, UdpLink> eldest) {
                if (size() > PeerTable.this.max) {
                    evicted = eldest.getValue();
                    return true;
                }
                return false;
            }
        };
    }

    /** The link of {@code source}, or null if none yet (marks it most recently heard). */
    UdpLink get(InetSocketAddress source) {
        return links.get(source);
    }

    /**
     * Adds a link; returns the link evicted to make room, or null.
     */
    UdpLink add(InetSocketAddress source, UdpLink link) {
        evicted = null;
        links.put(source, link);
        UdpLink e = evicted;
        evicted = null;
        return e;
    }

    int size() {
        return links.size();
    }

    void forEach(Consumer<UdpLink> action) {
        links.values().forEach(action);
    }
}
