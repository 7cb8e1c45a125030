package dev.multipath.examples.security;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * The real flow through the tunnel, and the server's count of what came out of it: a sender in the client
 * namespace sends numbered UDP datagrams at a steady rate to a receiver in the server namespace, which counts every
 * datagram, every number it saw twice (a replay that got through would show up here) and anything not from the
 * sender. {@link #burst} sends many datagrams at once (to move the replay window on).
 *
 * <p>Threading: one sender thread and one receiver thread; counters are read from any thread.
 */
final class MphUdpStream implements AutoCloseable {

    private static final int PAYLOAD = 200;

    private final DatagramSocket sendSocket;
    private final DatagramSocket receiveSocket;
    private final InetSocketAddress target;
    private final BitSet seenNumbers = new BitSet();
    private volatile boolean closed;
    private volatile int ratePerSecond;
    private int nextNumber;
    private long received;
    private long duplicates;
    private long foreign;

    private MphUdpStream(DatagramSocket sendSocket, DatagramSocket receiveSocket, InetSocketAddress target) {
        this.sendSocket = sendSocket;
        this.receiveSocket = receiveSocket;
        this.target = target;
    }

    /**
     * Starts a stream of {@code ratePerSecond} datagrams from {@code clientNs} to {@code server} (an address of
     * {@code serverNs}).
     */
    static MphUdpStream start(String clientNs, String serverNs, InetSocketAddress server, int ratePerSecond)
            throws Exception {
        DatagramSocket receive = MphNetns.call(serverNs, () -> {
            DatagramSocket s = new DatagramSocket(server);
            s.setSoTimeout(200);
            s.setReceiveBufferSize(4 << 20);
            return s;
        });
        DatagramSocket send = MphNetns.call(clientNs, () -> new DatagramSocket());
        MphUdpStream stream = new MphUdpStream(send, receive, server);
        stream.ratePerSecond = ratePerSecond;
        Thread r = new Thread(stream::receiveLoop, "mph-stream-rx");
        r.setDaemon(true);
        r.start();
        Thread s = new Thread(stream::sendLoop, "mph-stream-tx");
        s.setDaemon(true);
        s.start();
        return stream;
    }

    private void sendLoop() {
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long next = System.nanoTime();
        while (!closed) {
            sendOne();
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void sendOne() {
        byte[] b = new byte[PAYLOAD];
        ByteBuffer.wrap(b).putInt(0, nextNumber++);
        try {
            sendSocket.send(new DatagramPacket(b, b.length, target));
        } catch (IOException e) {
            // Counted as not received at the server; the tests look at what arrives.
        }
    }

    /** Sends {@code count} datagrams as fast as {@code perMillisecond} per millisecond allows. */
    void burst(int count, int perMillisecond) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            sendOne();
            if (i % perMillisecond == perMillisecond - 1) {
                Thread.sleep(1);
            }
        }
    }

    private void receiveLoop() {
        byte[] b = new byte[2048];
        DatagramPacket p = new DatagramPacket(b, b.length);
        while (!closed) {
            try {
                receiveSocket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            synchronized (this) {
                received++;
                if (p.getLength() != PAYLOAD || !p.getAddress().getHostAddress().startsWith("172.")) {
                    foreign++;
                    continue;
                }
                int n = ByteBuffer.wrap(b).getInt(0);
                if (n < 0 || n >= nextNumber || seenNumbers.get(n)) {
                    duplicates++;
                } else {
                    seenNumbers.set(n);
                }
            }
        }
    }

    /** Datagrams the server received (all of them). */
    synchronized long received() {
        return received;
    }

    /** Numbers the server saw more than once, or that were never sent. */
    synchronized long duplicates() {
        return duplicates;
    }

    /** Datagrams not from the stream's sender. */
    synchronized long foreign() {
        return foreign;
    }

    /** Datagrams sent so far. */
    synchronized long sent() {
        return nextNumber;
    }

    @Override
    public void close() {
        closed = true;
        sendSocket.close();
        receiveSocket.close();
    }
}
