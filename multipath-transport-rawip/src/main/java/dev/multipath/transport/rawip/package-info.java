/**
 * Raw IP transport: frames carried directly as the payload of IP datagrams with an experimental protocol number
 * (RFC 3692), over IPv4 and IPv6, through jnr-ffi raw sockets. Entry point: {@link
 * dev.multipath.transport.rawip.RawIpTransport}. Linux only; needs root or CAP_NET_RAW.
 */
package dev.multipath.transport.rawip;
