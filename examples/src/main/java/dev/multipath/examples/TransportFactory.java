package dev.multipath.examples;

import dev.multipath.api.Transport;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.PathMtu;
import dev.multipath.examples.config.TransportKind;
import dev.multipath.transport.rawip.RawIpTransport;
import dev.multipath.transport.tcp.TcpTransport;
import dev.multipath.transport.udp.UdpOptions;
import dev.multipath.transport.udp.UdpTransport;
import java.net.InetSocketAddress;

/**
 * Makes the transport of each configured kind. No method here does network I/O: transports bind and connect in
 * {@link Transport#start}. Raw IP has no ports: a raw-IP path's {@code remote} port is ignored, and the remote
 * portal's raw-IP listener takes every frame of protocol {@link RawIpTransport#DEFAULT_PROTOCOL} to its address.
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

    /** The listening transport of the given kind on {@code bind}, taking frames of TUN packets up to {@code tunMtu}. */
    static Transport listen(TransportKind kind, InetSocketAddress bind, int tunMtu) {
        int linkMtu = PathMtu.listenerLinkMtu(tunMtu);
        switch (kind) {
            case TCP:
                return TcpTransport.listen(bind);
            case UDP:
                return UdpTransport.listen(bind, UdpOptions.defaults().withPathMtu(linkMtu));
            case RAWIP:
                return RawIpTransport.listen(bind.getAddress(), RawIpTransport.DEFAULT_PROTOCOL, linkMtu,
                        RawIpTransport.DEFAULT_MAX_LINKS);
            default:
                throw new IllegalStateException("unknown transport " + kind);
        }
    }
}
