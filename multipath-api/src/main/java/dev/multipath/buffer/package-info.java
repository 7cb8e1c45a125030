/**
 * The packet buffer a {@link dev.multipath.api.Scheduler} receives and hands back: {@link
 * dev.multipath.buffer.Packet}. Part of the API.
 */
package dev.multipath.buffer;
