/** Module multipath-transport-udp (to be filled). */
package dev.multipath.transport.udp;
