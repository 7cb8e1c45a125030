package dev.multipath.examples;

import dev.multipath.api.Portal;
import dev.multipath.api.PortalStatus;
import dev.multipath.api.Role;
import dev.multipath.transport.tcp.TcpTransport;
import dev.multipath.tun.TunDevice;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * How a host program embeds a portal without the command line or a config file: it assembles the parts in code
 * with {@link Portal#builder()}, starts the portal, reads its status, and closes it. Run as root (TUN):
 *
 * <pre>
 * java -cp portal.jar dev.multipath.examples.EmbeddedPortal 10.0.1.1 10.0.1.2:4789 10.0.2.1 10.0.2.2:4789
 * </pre>
 *
 * Arguments: pairs of (local address, remote endpoint), one per path. The authenticator is left at its
 * pass-through default here to keep the example short; a real host sets {@code .authenticator(...)} with keys.
 */
public final class EmbeddedPortal {

    private EmbeddedPortal() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length % 2 != 0) {
            System.err.println("usage: EmbeddedPortal LOCAL_ADDRESS REMOTE_HOST:PORT [LOCAL_ADDRESS REMOTE_HOST:PORT]...");
            System.exit(2);
        }
        Portal.Builder builder = Portal.builder()
                .role(Role.LOCAL)
                .packetSource(TunDevice.open("mpembed0", 1400));
        for (int i = 0; i < args.length; i += 2) {
            String[] hostPort = args[i + 1].split(":");
            builder.path("path" + (i / 2), 0, TcpTransport.connect(new InetSocketAddress(args[i], 0),
                    new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))));
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // On Ctrl-C or SIGTERM: let main close the portal (TUN, sockets) before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (Portal portal = builder.build()) {
            portal.start();
            // The host decides what to do with the status: here, print a line every 5 seconds until Ctrl-C.
            while (!stop.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
                PortalStatus status = portal.status();
                StringBuilder line = new StringBuilder("session " + (status.sessionEstablished() ? "up" : "down"));
                for (PortalStatus.Path path : status.paths()) {
                    line.append(", ").append(path.name()).append(' ').append(path.state()).append(' ')
                            .append(path.bytesSent()).append(" B out ").append(path.bytesReceived()).append(" B in");
                }
                System.out.println(line);
            }
        } finally {
            closed.countDown();
        }
    }
}
