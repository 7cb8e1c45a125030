package dev.multipath.lab.topo;

/**
 * A change to one link at a time offset from the start of a flow. Immutable.
 *
 * @param atSec seconds after the flow starts
 * @param kind  what happens
 * @param link  1-based link index
 * @param value new rate in Mbit/s for {@link Kind#RATE}; unused otherwise
 */
public record LinkEvent(double atSec, Kind kind, int link, double value) {

    /** Kinds of link event. */
    public enum Kind {
        /** The link's rate becomes {@code value} Mbit/s (tbf changed in the middle namespace). */
        RATE,
        /** The local portal's interface of the link goes down ({@code ip link set down}). */
        DOWN,
        /** Silent black hole: everything arriving at either end is dropped; interfaces stay up. */
        BLACKHOLE,
        /** Undo DOWN / BLACKHOLE / RATE: interface up, drops removed, rate back to the declared one, routes re-added. */
        RESTORE
    }

    public static LinkEvent rate(double atSec, int link, double mbit) {
        return new LinkEvent(atSec, Kind.RATE, link, mbit);
    }

    public static LinkEvent down(double atSec, int link) {
        return new LinkEvent(atSec, Kind.DOWN, link, 0);
    }

    public static LinkEvent blackhole(double atSec, int link) {
        return new LinkEvent(atSec, Kind.BLACKHOLE, link, 0);
    }

    public static LinkEvent restore(double atSec, int link) {
        return new LinkEvent(atSec, Kind.RESTORE, link, 0);
    }

    /** Short label for charts, e.g. {@code link 1 down}. */
    public String label() {
        return switch (kind) {
            case RATE -> "link " + link + " " + (long) value + "M";
            case DOWN -> "link " + link + " down";
            case BLACKHOLE -> "link " + link + " black hole";
            case RESTORE -> "link " + link + " restored";
        };
    }
}
