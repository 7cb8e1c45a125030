package dev.multipath.examples;

import dev.multipath.api.Transport;
import dev.multipath.examples.config.PathConfig;
import dev.multipath.examples.config.TransportKind;
import dev.multipath.transport.tcp.TcpTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Makes the transport of each configured kind. TCP is linked directly. UDP and raw IP are looked up by class
 * name ({@code dev.multipath.transport.udp.UdpTransport}, {@code dev.multipath.transport.rawip.RawIpTransport},
 * with the same static {@code connect(local, remote)} and {@code listen(bind)} as TCP), so this program builds
 * before those modules are written and picks them up as soon as they are: until then a config naming them is
 * refused with "not available in this build".
 *
 * <p>No method here does network I/O: transports bind and connect in {@link Transport#start}.
 */
final class TransportFactory {

    private static final String UDP_CLASS = "dev.multipath.transport.udp.UdpTransport";
    private static final String RAWIP_CLASS = "dev.multipath.transport.rawip.RawIpTransport";

    private TransportFactory() {
    }

    /** The connecting transport of one path of a local portal (local port 0: the kernel chooses). */
    static Transport connect(PathConfig path) {
        InetSocketAddress local = new InetSocketAddress(path.local(), 0);
        if (path.transport() == TransportKind.TCP) {
            return TcpTransport.connect(local, path.remote());
        }
        Method factory = optionalFactory(path.transport(), "connect").orElseThrow(() -> new CliFailure(
                ExitCodes.BAD_USAGE_OR_CONFIG, "path '" + path.name() + "': transport \""
                        + path.transport().configName() + "\" is not available in this build"));
        return invoke(factory, local, path.remote());
    }

    /** The listening transport of the given kind, if this build has it. */
    static Optional<Transport> listen(TransportKind kind, InetSocketAddress bind) {
        if (kind == TransportKind.TCP) {
            return Optional.of(TcpTransport.listen(bind));
        }
        return optionalFactory(kind, "listen").map(factory -> invoke(factory, bind));
    }

    private static Optional<Method> optionalFactory(TransportKind kind, String name) {
        String className = kind == TransportKind.UDP ? UDP_CLASS : RAWIP_CLASS;
        try {
            Class<?> type = Class.forName(className);
            Method method = name.equals("connect")
                    ? type.getMethod(name, InetSocketAddress.class, InetSocketAddress.class)
                    : type.getMethod(name, InetSocketAddress.class);
            return Transport.class.isAssignableFrom(method.getReturnType()) ? Optional.of(method) : Optional.empty();
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    private static Transport invoke(Method factory, Object... args) {
        try {
            return (Transport) factory.invoke(null, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(factory + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(factory + " is not accessible", e);
        }
    }
}
