package dev.multipath.examples;

import dev.multipath.api.Transport;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PathMtu;
import dev.multipath.examples.config.TransportKind;
import dev.multipath.transport.rawip.RawIpTransport;
import dev.multipath.transport.tcp.TcpTransport;
import dev.multipath.transport.udp.UdpOptions;
import dev.multipath.transport.udp.UdpTransport;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Makes the transport of each configured kind. No method here does network I/O: transports bind and connect in
 * {@link Transport#start}. Raw IP has no ports: a raw-IP path's {@code remote} port is ignored, and the remote
 * portal's raw-IP listener takes every frame of protocol {@link RawIpTransport#DEFAULT_PROTOCOL} to its address.
 * A raw socket has one address family, so {@code listen = "[::]:PORT"} (dual-stack for TCP and UDP) makes two raw IP
 * listeners, on {@code ::} and {@code 0.0.0.0}: raw IP paths of both families then arrive, as TCP and UDP ones do.
 */
final class TransportFactory {

    private TransportFactory() {
    }

    /** The connecting transport of one path of a local portal (local port 0: the kernel chooses). */
    static Transport connect(PathConfig path) {
        InetSocketAddress local = new InetSocketAddress(path.local(), 0);
        switch (path.transport()) {
            case TCP:
                return TcpTransport.connect(local, path.remote());
            case UDP:
                return UdpTransport.connect(local, path.remote(), UdpOptions.defaults().withPathMtu(path.mtu()));
            case RAWIP:
                return RawIpTransport.connect(path.local(), path.remote().getAddress(),
                        RawIpTransport.DEFAULT_PROTOCOL, path.mtu());
            default:
                throw new IllegalStateException("unknown transport " + path.transport());
        }
    }

    /**
     * The listening transports of the given kind on {@code bind}, taking frames of TUN packets up to {@code tunMtu}:
     * one, except raw IP on the IPv6 wildcard address, which takes both families (an IPv6 raw socket never receives
     * IPv4 datagrams, unlike a dual-stack TCP or UDP socket).
     */
    static List<Transport> listen(TransportKind kind, InetSocketAddress bind, int tunMtu) {
        int linkMtu = PathMtu.listenerLinkMtu(tunMtu);
        switch (kind) {
            case TCP:
                return List.of(TcpTransport.listen(bind));
            case UDP:
                return List.of(UdpTransport.listen(bind, UdpOptions.defaults().withPathMtu(linkMtu)));
            case RAWIP:
                return rawIpListenAddresses(bind.getAddress()).stream()
                        .map(a -> (Transport) RawIpTransport.listen(a, RawIpTransport.DEFAULT_PROTOCOL, linkMtu,
                                RawIpTransport.DEFAULT_MAX_LINKS)).toList();
            default:
                throw new IllegalStateException("unknown transport " + kind);
        }
    }

    /** Where raw IP listens for a {@code listen} address: {@code ::} and {@code 0.0.0.0} for {@code ::}, else it. */
    static List<InetAddress> rawIpListenAddresses(InetAddress listen) {
        if (listen instanceof Inet6Address && listen.isAnyLocalAddress()) {
            try {
                return List.of(listen, InetAddress.getByAddress(new byte[4]));
            } catch (UnknownHostException e) {
                throw new AssertionError("four bytes are an IPv4 address", e);
            }
        }
        return List.of(listen);
    }
}
