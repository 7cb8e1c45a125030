package dev.multipath.examples.control;

import dev.multipath.api.DropReason;
import dev.multipath.api.PortalStatus;
import dev.multipath.api.Role;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A known status at a known time, shared by the rendering tests. */
final class StatusFixtures {

    static final long NOW = 1_000_000_000_000L;
    static final long START = NOW - 125_000_000_000L;

    static final PortalStatus.Path DSL = new PortalStatus.Path(0, "dsl", "up", 0, "10.0.1.2:4789", 50, 52_000,
            40, 41_000, 1, NOW - 300_000_000L, 12_300_000L, 1_250_000L);
    static final PortalStatus.Path LTE = new PortalStatus.Path(1, "lte", "waiting", 10, "-", 0, 0, 0, 0, 0, 0, 0,
            0);

    static PortalStatus status() {
        return new PortalStatus(Role.LOCAL, "mp0", 90, 40, true, List.of(DSL, LTE),
                Map.of(DropReason.QUEUE_FULL, 3L));
    }

    static PortalInfo info() {
        return new PortalInfo(Optional.of("authenticate"), Optional.empty(), START, Map.of(
                "dsl", new PortalInfo.PathInfo("10.0.1.1", "tcp"), "lte", new PortalInfo.PathInfo("10.0.2.1", "udp")));
    }

    private StatusFixtures() {
    }
}
