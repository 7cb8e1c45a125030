/** Module multipath-transport-tcp (to be filled). */
package dev.multipath.transport.tcp;
