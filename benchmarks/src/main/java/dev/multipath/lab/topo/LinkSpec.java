package dev.multipath.lab.topo;

import java.util.Locale;

/**
 * One emulated link as a scenario declares it. Immutable.
 *
 * @param rateMbit   bottleneck rate in Mbit/s, both directions (tbf in the link's middle namespace); 0 = unshaped
 * @param delayMs    one-way delay in ms, both directions (the C relay); 0 = none
 * @param lossPct    random loss in percent, both directions (the C relay); 0 = none
 * @param queueBytes tbf queue limit in bytes; 0 = the default of 50 ms worth of the rate
 */
public record LinkSpec(double rateMbit, double delayMs, double lossPct, int queueBytes) {

    public LinkSpec {
        if (rateMbit < 0 || delayMs < 0 || lossPct < 0 || lossPct > 100 || queueBytes < 0) {
            throw new IllegalArgumentException("bad link spec: rate " + rateMbit + " delay " + delayMs + " loss "
                    + lossPct + " queue " + queueBytes);
        }
    }

    /** A link with only a rate. */
    public static LinkSpec rate(double mbit) {
        return new LinkSpec(mbit, 0, 0, 0);
    }

    /** An unshaped link (no rate, delay or loss). */
    public static LinkSpec unshaped() {
        return new LinkSpec(0, 0, 0, 0);
    }

    public LinkSpec withDelay(double ms) {
        return new LinkSpec(rateMbit, ms, lossPct, queueBytes);
    }

    public LinkSpec withLoss(double pct) {
        return new LinkSpec(rateMbit, delayMs, pct, queueBytes);
    }

    /** True when the link needs the user-space relay (delay or loss); otherwise a kernel bridge forwards. */
    public boolean needsRelay() {
        return delayMs > 0 || lossPct > 0;
    }

    /** Short human label such as {@code 10M/5ms/1%}. */
    public String label() {
        StringBuilder b = new StringBuilder(rateMbit > 0 ? fmt(rateMbit) + "M" : "unshaped");
        if (delayMs > 0) {
            b.append('/').append(fmt(delayMs)).append("ms");
        }
        if (lossPct > 0) {
            b.append('/').append(fmt(lossPct)).append('%');
        }
        return b.toString();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
