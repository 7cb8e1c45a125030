package dev.multipath.engine;

/** What the caller of {@link PortalCore#onFrame} does with the packet it passed in. */
public enum InboundAction {
    /** The packet now holds an inner IP packet at its payload offset: write it to the packet source. */
    DELIVER,
    /** The packet now holds a reply frame (length in {@code packet.length()}, from offset 0): send it on the link. */
    REPLY,
    /** The frame was handled (or dropped and counted): recycle the packet. */
    CONSUMED
}
