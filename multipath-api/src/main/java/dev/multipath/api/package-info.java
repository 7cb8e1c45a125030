/**
 * The public API of the multipath library: the four pluggable parts ({@link dev.multipath.api.PacketSource},
 * {@link dev.multipath.api.Transport}, {@link dev.multipath.api.Scheduler},
 * {@link dev.multipath.api.Authenticator}) and the {@link dev.multipath.api.Portal} that assembles them.
 */
package dev.multipath.api;
