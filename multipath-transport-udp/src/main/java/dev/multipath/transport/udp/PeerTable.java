package dev.multipath.transport.udp;

import java.net.InetSocketAddress;
import java.util.Iterator;
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

    PeerTable(int max) {
        this.max = max;
        // Access order: get() moves a link to the young end, so iteration starts at the least recently heard.
        this.links = new LinkedHashMap<>(Math.min(max, 64) * 2, 0.75f, true);
    }

    /** The link of {@code source}, or null if none yet (marks it most recently heard). */
    UdpLink get(InetSocketAddress source) {
        return links.get(source);
    }

    /**
     * Adds a link; returns the link evicted to make room, or null. The victim is the least recently heard link that
     * never carried an authenticated frame ({@link UdpLink#isAuthenticated()}); only if every link did, the least
     * recently heard of all. So spoofed sources, however many, displace each other and never a genuine path. The
     * scan passes over authenticated links only, a handful per peer.
     */
    UdpLink add(InetSocketAddress source, UdpLink link) {
        UdpLink victim = null;
        if (links.size() >= max) {
            Iterator<Map.Entry<InetSocketAddress, UdpLink>> it = links.entrySet().iterator();
            Map.Entry<InetSocketAddress, UdpLink> eldest = null;
            while (it.hasNext()) {
                Map.Entry<InetSocketAddress, UdpLink> e = it.next();
                if (eldest == null) {
                    eldest = e;
                }
                if (!e.getValue().isAuthenticated()) {
                    victim = e.getValue();
                    it.remove();
                    break;
                }
            }
            if (victim == null && eldest != null) {
                victim = eldest.getValue();
                links.remove(eldest.getKey());
            }
        }
        links.put(source, link);
        return victim;
    }

    int size() {
        return links.size();
    }

    void forEach(Consumer<UdpLink> action) {
        links.values().forEach(action);
    }
}
