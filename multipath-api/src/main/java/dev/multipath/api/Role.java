package dev.multipath.api;

/** Which end of the tunnel a portal is. */
public enum Role {
    /** Next to the clients: reads their packets from its TUN, initiates the session, connects every path. */
    LOCAL,
    /** On the well-connected server: accepts paths and the session, forwards to the internet. */
    REMOTE
}
