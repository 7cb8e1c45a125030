/** Module multipath-transport-rawip (to be filled). */
package dev.multipath.transport.rawip;
