package dev.multipath.examples.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} (Prometheus text format) on an opt-in address with the JDK's
 * {@code com.sun.net.httpserver} (module jdk.httpserver: no dependency). Any other path is 404, any other method
 * 405. There is no authentication: bind it to loopback or a management network only.
 *
 * <p>Threading: one daemon thread ("portal-metrics") serves requests one at a time; the body supplier is called
 * on it per scrape. {@link #close()} stops the server and the thread.
 */
public final class MetricsServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code address} and starts serving.
     *
     * @param body the exposition text, made fresh for every scrape
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    public static MetricsServer start(InetSocketAddress address, Supplier<String> body) throws IOException {
        HttpServer server = HttpServer.create(address, 8);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portal-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                answer(exchange, body);
            } catch (IOException | RuntimeException e) {
                LOG.debug("metrics request failed: {}", e.toString());
            }
        });
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void answer(HttpExchange exchange, Supplier<String> body) throws IOException {
        if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found: try /metrics\n");
        } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        } else {
            send(exchange, 200, PrometheusText.CONTENT_TYPE, body.get());
        }
    }

    private static void send(HttpExchange exchange, int code, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops serving at once and ends the thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
