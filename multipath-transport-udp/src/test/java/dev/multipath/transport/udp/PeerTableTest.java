package dev.multipath.transport.udp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerTableTest {

    private static InetSocketAddress source(int i) {
        return new InetSocketAddress("10.84." + (i >>> 8) + "." + (i & 0xff), 40000);
    }

    private static UdpLink link(int i) {
        return new UdpLink(null, source(i), false, 1472);
    }

    @Test
    void aFloodOfUnprovenSourcesDisplacesItselfAndNeverAnAuthenticatedLink() {
        PeerTable table = new PeerTable(4);
        UdpLink genuine = link(0);
        table.add(source(0), genuine);
        genuine.markAuthenticated();
        List<UdpLink> evicted = new ArrayList<>();
        // The genuine link is never heard again during the flood: it is the least recently heard from the start.
        for (int i = 1; i <= 1000; i++) {
            UdpLink e = table.add(source(i), link(i));
            if (e != null) {
                evicted.add(e);
            }
        }
        assertThat(table.size()).isEqualTo(4);
        assertThat(evicted).hasSize(997).doesNotContain(genuine);
        assertThat(table.get(source(0))).isSameAs(genuine);
        // Among the unproven, the least recently heard goes first.
        assertThat(evicted.get(0).remoteAddress()).isEqualTo(source(1));
    }

    @Test
    void theLeastRecentlyHeardGoesFirstAndAFullyProvenTableStillTakesNewcomers() {
        PeerTable table = new PeerTable(3);
        UdpLink a = link(1);
        UdpLink b = link(2);
        UdpLink c = link(3);
        table.add(source(1), a);
        table.add(source(2), b);
        table.add(source(3), c);
        table.get(source(1)); // a heard again: b is now the least recently heard
        UdpLink d = link(4);
        assertThat(table.add(source(4), d)).isSameAs(b);
        a.markAuthenticated();
        c.markAuthenticated();
        d.markAuthenticated();
        // Every link proven: the least recently heard of all (c) makes room, so a new peer can always get in.
        assertThat(table.add(source(5), link(5))).isSameAs(c);
        assertThat(table.size()).isEqualTo(3);
    }
}
