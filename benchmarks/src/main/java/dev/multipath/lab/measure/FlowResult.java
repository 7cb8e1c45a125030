package dev.multipath.lab.measure;

/**
 * One iperf3 flow, as the receiver saw it. Immutable (the array is not copied: do not modify it).
 *
 * @param goodputMbit   receiver-side goodput over the whole flow, Mbit/s
 * @param intervalsMbit receiver-side goodput per interval, Mbit/s
 * @param intervalSec   interval length in seconds
 * @param meanRttMs     the sender's mean TCP RTT (iperf3 {@code mean_rtt}), ms; NaN if unknown
 * @param retransmits   the sender's retransmitted segments; -1 if unknown
 * @param error         iperf3's error message, or null if the flow completed
 */
public record FlowResult(double goodputMbit, double[] intervalsMbit, double intervalSec, double meanRttMs,
        long retransmits, String error) {

    public boolean completed() {
        return error == null;
    }
}
