package dev.multipath.lab.multipeer;

import java.util.List;

/**
 * Everything {@code ./lab multipeer} measured, written as {@code multipeer.json} (schema in docs/evaluation.md,
 * section "Many local portals"). Immutable records; arrays are not copied. A number that was not measured is null.
 *
 * @param schema      1
 * @param generated   ISO-8601 time the file was written
 * @param machine     kernel, CPUs, Java
 * @param command     the command line
 * @param transport   the portals' transport
 * @param cc          the iperf3 flows' congestion control
 * @param durationSec length of each flow
 * @param sites       the honest sites (local portals) and their links
 * @param concurrent  every site's flow at once: one record per run and direction
 * @param summary     per site and direction: median over the concurrent runs
 * @param solo        each site alone, per direction (reference for the concurrent figures); empty if not measured
 * @param spoof       the spoofing site; null if not measured
 * @param isolation   honest sites measured without and with a flood from another site; null if not measured
 * @param removal     one site removed from the remote portal's config mid-flow; null if not measured
 * @param loadAverage the machine's 1-minute load average at the start of each phase (the machine is shared: a
 *                    figure measured under a load well above its 2 cores is the machine's, not the portals')
 */
public record MultiPeerResults(int schema, String generated, String machine, String command, String transport,
        String cc, int durationSec, List<SiteInfo> sites, List<ConcurrentRun> concurrent, List<SiteSummary> summary,
        List<PeerFlow> solo, SpoofResult spoof, IsolationResult isolation, RemovalResult removal,
        java.util.Map<String, Double> loadAverage) {

    /** One site: its peer name and links. */
    public record SiteInfo(String name, List<String> links, double linkSumMbit) {
    }

    /**
     * One site's flow.
     *
     * @param goodputMbit   receiver-side goodput over the whole flow
     * @param ratio         goodput / the site's link sum
     * @param intervalsMbit receiver-side 0.5 s intervals
     */
    public record PeerFlow(String site, String direction, double linkSumMbit, double goodputMbit, double ratio,
            double[] intervalsMbit, Double meanRttMs, long retransmits, String error) {
    }

    /** One run of every site's flow at once, one direction. */
    public record ConcurrentRun(String direction, int run, List<PeerFlow> peers, double totalMbit, double totalRatio) {
    }

    /** Median, min and max over the concurrent runs of one site and direction. */
    public record SiteSummary(String site, String direction, int runs, double linkSumMbit, Double medianMbit,
            Double minMbit, Double maxMbit, Double medianRatio, Double soloMbit, Double soloRatio) {
    }

    /**
     * The spoofing site: its client sends with another site's inner address.
     *
     * @param spoofedIp                 the address it sends from (another site's client)
     * @param sessionEstablished        the spoofer had an authenticated session (so only allowed_ips stops it)
     * @param spooferTunPackets         IP packets the spoofer's local portal read from its TUN and sent
     * @param pingsSent                 ICMP echo requests its client sent
     * @param iperfError                its iperf3 attempt's outcome (null if it connected)
     * @param serverPackets             packets the server received from it (TCP to its port + echo requests)
     * @param serverBytes               bytes of those
     * @param sourceNotAllowedDelta     rise of the remote portal's SOURCE_NOT_ALLOWED drops over the phase
     * @param spooferPacketsWritten     packets of the spoofer's peer the remote wrote to its TUN over the phase
     */
    public record SpoofResult(String spoofer, String spoofedIp, int seconds, boolean sessionEstablished,
            long spooferTunPackets, long pingsSent, String iperfError, long serverPackets, long serverBytes,
            long sourceNotAllowedDelta, long spooferPacketsWritten) {
    }

    /**
     * Honest sites' flows at once, alternately without and with a flood from another site's local portal.
     *
     * @param flood              what the flood was
     * @param floodDropped       rise of the remote portal's drop counters over the flooded runs, by reason
     * @param runs               runs of each kind
     * @param without            every flow without the flood
     * @param with               every flow with the flood
     * @param medianWithoutMbit  per site: median goodput without the flood
     * @param medianWithMbit     per site: median goodput with the flood
     */
    public record IsolationResult(String floodSite, String flood, java.util.Map<String, Long> floodDropped, int runs,
            List<PeerFlow> without, List<PeerFlow> with, java.util.Map<String, Double> medianWithoutMbit,
            java.util.Map<String, Double> medianWithMbit) {
    }

    /**
     * Every site's outbound flow at once; at {@code removeAtSec} the remote's config is rewritten without
     * {@code removed} and the remote portal gets SIGHUP.
     *
     * @param reloadMillis         from SIGHUP until the remote's status no longer listed the peer
     * @param sampleSec            times of the server's counter samples, s since the flows started
     * @param serverMbit           per site: Mbit/s the server received between consecutive samples
     * @param survivors            the other sites' flows (iperf3, receiver intervals)
     * @param survivorMinAfterMbit per survivor: the lowest 0.5 s interval after the removal
     * @param survivorMeanAfterMbit per survivor: the mean of the intervals after the removal
     * @param removedMbitBefore    the removed site's mean rate at the server before the removal
     * @param removedBytesAfter    bytes from the removed site at the server from 1 s after the SIGHUP to the end
     */
    public record RemovalResult(String removed, double removeAtSec, int seconds, long reloadMillis, double[] sampleSec,
            java.util.Map<String, double[]> serverMbit, List<PeerFlow> survivors,
            java.util.Map<String, Double> survivorMinAfterMbit, java.util.Map<String, Double> survivorMeanAfterMbit,
            double removedMbitBefore, long removedBytesAfter) {
    }
}
