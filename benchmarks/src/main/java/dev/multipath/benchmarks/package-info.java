/** Module benchmarks (to be filled). */
package dev.multipath.benchmarks;
