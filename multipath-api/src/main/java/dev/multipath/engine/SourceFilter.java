package dev.multipath.engine;

/**
 * Decides whether an authenticated inner packet may enter the packet source: on a remote portal serving many
 * peers, its source address must be in the sending peer's allowed IPs (cryptokey routing). Must be thread-safe and
 * allocation-free: it runs on receive threads for every DATA frame.
 */
@FunctionalInterface
public interface SourceFilter {

    /** Accepts everything (a single-peer portal). */
    SourceFilter ALLOW_ALL = (packet, off, len) -> true;

    /** Whether the IP packet {@code packet[off, off + len)} (well-formed) may be delivered. */
    boolean allows(byte[] packet, int off, int len);
}
