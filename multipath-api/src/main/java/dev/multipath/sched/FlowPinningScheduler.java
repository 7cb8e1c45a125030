package dev.multipath.sched;

import dev.multipath.buffer.Packet;
import dev.multipath.frame.FlowKey;

/**
 * Pins every flow (hash of its addresses, protocol and ports) to one preferred path: no reordering within a flow, but
 * no flow ever gets more than one path's bandwidth. This is per-session load balancing, the usual router feature the
 * project exists to beat; it is kept for comparison in the lab. When a path dies its flows move to the others.
 */
public final class FlowPinningScheduler extends LaneScheduler {

    public FlowPinningScheduler() {
        this(256);
    }

    public FlowPinningScheduler(int perPathCapacity) {
        super(perPathCapacity);
    }

    @Override
    Lanes.Lane choose(Lanes.Lane[] ls, int metric, Packet packet) {
        int candidates = 0;
        for (Lanes.Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() == metric) {
                candidates++;
            }
        }
        if (candidates == 0) {
            return null;
        }
        int pick = FlowKey.bucket(packet.data(), Packet.PAYLOAD_OFFSET, packet.length()) % candidates;
        for (Lanes.Lane l : ls) {
            if (l.path.isUsable() && l.path.metric() == metric && pick-- == 0) {
                return l;
            }
        }
        return null;
    }
}
