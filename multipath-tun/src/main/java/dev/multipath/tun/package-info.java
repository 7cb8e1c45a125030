/** Module multipath-tun (to be filled). */
package dev.multipath.tun;
