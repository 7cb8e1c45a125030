/**
 * The sans-IO core of a portal ({@code PortalCore}: framing, sealing, path state, acks and probes driven by
 * explicit time), its threaded runtime ({@code PortalRuntime}), the multi-peer hub ({@code PeerHub}) and the packet
 * pool.
 *
 * <p>Internal to multipath-api: not API, may change at any time. module-info.java exports this package only to
 * our benchmarks; on the class path nothing stops a host program from using it, but nothing here is promised.
 */
package dev.multipath.engine;
