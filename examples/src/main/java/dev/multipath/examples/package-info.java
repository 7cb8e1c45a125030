/** Module examples (to be filled). */
package dev.multipath.examples;
