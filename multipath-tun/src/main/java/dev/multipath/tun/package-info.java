/**
 * Linux TUN devices as a {@link dev.multipath.api.PacketSource}, through jnr-ffi: see
 * {@link dev.multipath.tun.TunDevice}.
 */
package dev.multipath.tun;
