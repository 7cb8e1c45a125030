/**
 * The receiver's per-flow reorder buffer, bounded by the measured delay spread between paths.
 *
 * <p>Internal to multipath-api: not API, may change at any time. module-info.java exports this package only to
 * our benchmarks; on the class path nothing stops a host program from using it, but nothing here is promised.
 */
package dev.multipath.reorder;
