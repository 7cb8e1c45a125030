/**
 * The built-in {@link dev.multipath.api.Scheduler}s, for {@link dev.multipath.api.Portal.Builder#scheduler}:
 * earliest arrival, greedy shared queue (the builder's default), weighted round robin and flow pinning. Part of the
 * API.
 */
package dev.multipath.sched;
