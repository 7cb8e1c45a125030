/**
 * Live counters of paths and drops, written by the engine and read for status and metrics.
 *
 * <p>Internal to multipath-api: not API, may change at any time. module-info.java exports this package only to
 * our benchmarks; on the class path nothing stops a host program from using it, but nothing here is promised.
 */
package dev.multipath.stats;
