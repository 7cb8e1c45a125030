/**
 * The public API of the multipath library: the four pluggable parts ({@link dev.multipath.api.PacketSource},
 * {@link dev.multipath.api.Transport}, {@link dev.multipath.api.Scheduler},
 * {@link dev.multipath.api.Authenticator}) and the {@link dev.multipath.api.Portal} that assembles them.
 *
 * <p>The API is this package and {@link dev.multipath.auth}, {@link dev.multipath.sched} and
 * {@link dev.multipath.buffer}: the packages module-info.java exports. The others are the engine's inside.
 */
package dev.multipath.api;
