/**
 * TCP transport: one TCP connection per path, frames length-prefixed with 2 bytes big-endian.
 *
 * <p>Entry point: {@link dev.multipath.transport.tcp.TcpTransport#connect} on the local portal (one path, one
 * {@link dev.multipath.api.Link} that reconnects with backoff) and {@link dev.multipath.transport.tcp.TcpTransport#listen}
 * on the remote portal (one link per accepted connection).
 */
package dev.multipath.transport.tcp;
