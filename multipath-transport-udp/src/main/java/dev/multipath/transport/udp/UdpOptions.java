package dev.multipath.transport.udp;

/**
 * Settings of a {@link UdpTransport}.
 *
 * @param pathMtu the path's IP MTU in bytes; the largest frame is this minus the IP and UDP headers
 * @param maxPeers listening side: most peer addresses tracked at once (least recently heard evicted)
 * @param socketBufferBytes SO_SNDBUF / SO_RCVBUF to ask for (0 = leave the system default)
 */
public record UdpOptions(int pathMtu, int maxPeers, int socketBufferBytes) {

    public UdpOptions {
        if (pathMtu < 576 || pathMtu > 65535 || maxPeers < 1 || socketBufferBytes < 0) {
            throw new IllegalArgumentException("invalid UDP options: mtu " + pathMtu + ", peers " + maxPeers
                    + ", socket buffer " + socketBufferBytes);
        }
    }

    /** MTU 1500, 4096 peers, 4 MiB socket buffers (absorbs bursts at 1 Gbit/s without a drop in the host). */
    public static UdpOptions defaults() {
        return new UdpOptions(1500, 4096, 4 << 20);
    }

    public UdpOptions withPathMtu(int mtu) {
        return new UdpOptions(mtu, maxPeers, socketBufferBytes);
    }

    public UdpOptions withMaxPeers(int peers) {
        return new UdpOptions(pathMtu, peers, socketBufferBytes);
    }
}
