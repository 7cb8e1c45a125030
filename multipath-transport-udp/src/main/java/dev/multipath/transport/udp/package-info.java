/**
 * UDP transport: frames carried one per datagram. Congestion control, acknowledgements, pacing and path health are
 * not here but in {@code dev.multipath.cc} (transport-agnostic, shared with the raw-IP transport), driven by the
 * engine. Entry point: {@link dev.multipath.transport.udp.UdpTransport}.
 */
package dev.multipath.transport.udp;
