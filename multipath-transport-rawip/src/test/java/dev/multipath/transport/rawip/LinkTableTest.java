package dev.multipath.transport.rawip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LinkTableTest {

    private static RawIpLink link(long hi, long lo, long seen) {
        // Links need no socket to sit in a table; send() is not called here.
        return new RawIpLink(null, null, 253, InetAddress.getLoopbackAddress(), hi, lo, 1480, seen);
    }

    @Test
    void holdsUpToCapacityThenRefuses() {
        LinkTable t = new LinkTable(3);
        t.add(link(0, 1, 0));
        t.add(link(0, 2, 0));
        t.add(link(0, 3, 0));
        assertThat(t.isFull()).isTrue();
        assertThatThrownBy(() -> t.add(link(0, 4, 0))).isInstanceOf(IllegalStateException.class);
        assertThat(t.get(0, 2)).isNotNull();
        assertThat(t.get(0, 4)).isNull();
    }

    @Test
    void idlestIsTheOneSilentLongestAndOnlyIfSilentEnough() {
        LinkTable t = new LinkTable(4);
        RawIpLink old = link(0, 1, 100);
        t.add(old);
        t.add(link(0, 2, 500));
        t.add(link(0, 3, 900));
        assertThat(t.idlest(1000, 950)).isNull();
        assertThat(t.idlest(1000, 500)).isSameAs(old);
        t.remove(old);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.get(0, 1)).isNull();
    }

    /** Random adds and removes (few distinct keys, so collisions and wrap-around are common) agree with a HashMap. */
    @Property(tries = 300)
    void behavesLikeAMap(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 40) Integer> ops,
            @ForAll @IntRange(min = 1, max = 16) int capacity) {
        LinkTable t = new LinkTable(capacity);
        Map<Integer, RawIpLink> model = new HashMap<>();
        for (int op : ops) {
            int key = op % 20;
            long hi = key % 3;
            long lo = key;
            boolean remove = op >= 20;
            RawIpLink present = model.get(key);
            assertThat(t.get(hi, lo)).isSameAs(present);
            if (remove && present != null) {
                t.remove(present);
                model.remove(key);
            } else if (!remove && present == null && !t.isFull()) {
                RawIpLink l = link(hi, lo, 0);
                t.add(l);
                model.put(key, l);
            }
            assertThat(t.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Integer, RawIpLink> e : model.entrySet()) {
            int key = e.getKey();
            assertThat(t.get(key % 3, key)).isSameAs(e.getValue());
        }
    }
}
