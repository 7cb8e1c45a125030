/**
 * The deterministic simulator (simulated clock and links driving two engine cores) and in-memory test doubles
 * ({@code InMemoryPacketSource}, {@code MemoryTransport}) for the tests of every module.
 *
 * <p>Internal to multipath-api: not API, may change at any time. module-info.java exports this package only to
 * our benchmarks; on the class path nothing stops a host program from using it, but nothing here is promised.
 */
package dev.multipath.sim;
