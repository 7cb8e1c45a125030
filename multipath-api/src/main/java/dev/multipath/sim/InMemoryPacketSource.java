package dev.multipath.sim;

import dev.multipath.api.PacketSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PacketSource} backed by two queues, for running a real threaded {@link dev.multipath.api.Portal} in tests
 * without a TUN device: tests {@link #inject} packets that the portal will read, and {@link #take} packets the portal
 * wrote.
 */
public final class InMemoryPacketSource implements PacketSource {

    private final String name;
    private final int mtu;
    private final BlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> outbound = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    public InMemoryPacketSource(String name, int mtu) {
        this.name = name;
        this.mtu = mtu;
    }

    /** Queues a packet for the portal to read. */
    public void inject(byte[] packet) {
        inbound.add(packet.clone());
    }

    /** The next packet the portal wrote, waiting up to {@code timeoutMillis}; null on timeout. */
    public byte[] take(long timeoutMillis) throws InterruptedException {
        return outbound.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        while (!closed) {
            byte[] p;
            try {
                p = inbound.poll(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            if (p != null) {
                int n = Math.min(p.length, dst.remaining());
                dst.put(p, 0, n);
                return n;
            }
        }
        return -1;
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
        if (closed) {
            throw new IOException("packet source " + name + " is closed");
        }
        byte[] p = new byte[src.remaining()];
        src.get(p);
        outbound.add(p);
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
    }
}
