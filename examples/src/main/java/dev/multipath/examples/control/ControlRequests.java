package dev.multipath.examples.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multipath.api.PortalStatus;
import dev.multipath.examples.metrics.PrometheusText;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The requests a portal's control socket answers ({@link ControlProtocol}): each takes a fresh
 * {@link PortalStatus} snapshot, builds the status document, and renders it. Unknown or malformed requests get an
 * error answer naming the valid ones.
 *
 * <p>Thread-safe if the status supplier is ({@code Portal#status()} is).
 */
public final class ControlRequests implements ControlHandler {

    private final Supplier<PortalStatus> status;
    private final PortalInfo info;
    private final LongSupplier clock;

    /**
     * @param status a fresh snapshot per call ({@code portal::status})
     * @param info   what the config says about the portal
     * @param clock  {@link System#nanoTime()} in production, a fixed value in tests
     */
    public ControlRequests(Supplier<PortalStatus> status, PortalInfo info, LongSupplier clock) {
        this.status = status;
        this.info = info;
        this.clock = clock;
    }

    /** The status document now. */
    public ObjectNode report() {
        return StatusReport.build(status.get(), info, clock.getAsLong());
    }

    @Override
    public String handle(String request) {
        switch (request) {
            case ControlProtocol.STATUS:
                return StatusText.render(report());
            case ControlProtocol.STATUS_JSON:
                return StatusReport.toJson(report());
            case ControlProtocol.METRICS:
                return PrometheusText.render(report());
            default:
                return ControlProtocol.error("unknown request '" + ControlServer.printable(request)
                        + "' (known: " + ControlProtocol.STATUS + ", " + ControlProtocol.STATUS_JSON + ", "
                        + ControlProtocol.METRICS + ")");
        }
    }
}
