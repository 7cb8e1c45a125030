/**
 * The multipath library: assemble a portal with {@link dev.multipath.api.Portal#builder()}.
 *
 * <p>The API is four packages: {@link dev.multipath.api} (the builder, the interfaces {@code PacketSource},
 * {@code Transport}, {@code Link}, {@code FrameSink}, {@code Scheduler}, {@code Authenticator}, and the status
 * records), {@link dev.multipath.auth} (authenticators and keys), {@link dev.multipath.sched} (the built-in
 * schedulers) and {@link dev.multipath.buffer} (the packet a {@code Scheduler} handles). Every other package is the
 * engine's inside: exported only to the modules of this project that need it (the benchmarks), and free to change.
 * On the class path these boundaries are not enforced; the same packages are the API there too.
 */
@SuppressWarnings({"module", "requires-automatic"}) // qualified exports name a module built later; Tink has no module-info
module dev.multipath.api {
    requires com.google.crypto.tink;
    requires org.jctools.core.jdk11;
    requires org.slf4j;
    requires org.jnrproject.ffi; // OpenSSL's AES-GCM (auth.OpenSslGcm)

    exports dev.multipath.api;
    exports dev.multipath.auth;
    exports dev.multipath.buffer;
    exports dev.multipath.sched;

    // Internal: the benchmarks measure the engine's parts one by one (JMH), so they reach inside.
    exports dev.multipath.cc to dev.multipath.benchmarks;
    exports dev.multipath.engine to dev.multipath.benchmarks;
    exports dev.multipath.frame to dev.multipath.benchmarks;
    exports dev.multipath.reorder to dev.multipath.benchmarks;
    exports dev.multipath.sim to dev.multipath.benchmarks;
    exports dev.multipath.stats to dev.multipath.benchmarks;
    // dev.multipath.peer is used only inside this module.
}
