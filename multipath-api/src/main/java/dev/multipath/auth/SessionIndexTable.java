package dev.multipath.auth;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The receiver indices of every session on a remote portal that serves many peers, and which peer owns each:
 * frames carry the index (header bytes 2-3), so the portal finds the peer of a frame with one array read and no
 * crypto attempt per peer. Indices are unique across peers because they all come from this table.
 *
 * <p>Index 0 is never given out (it means "no session yet"). Indices are picked at random among the free ones, so
 * an index says nothing about how many sessions exist and a stale frame rarely hits a reused slot (if it does, the
 * new owner's authenticator rejects it: the key is different).
 *
 * <p>Threading: {@link #owner} is a plain volatile array read from any receive thread; {@link #allocate} and
 * {@link #release} are called from handshake code (rare) and are thread-safe.
 */
public final class SessionIndexTable {

    /** Indices are 16 bits in the frame header. */
    static final int SIZE = 1 << 16;

    private final AtomicReferenceArray<Object> owners = new AtomicReferenceArray<>(SIZE);
    private final SecureRandom random = new SecureRandom();

    /** An empty table, shared by the sessions of every peer of one remote portal. */
    public SessionIndexTable() {
    }

    /**
     * Takes a free index for {@code owner}.
     *
     * @throws IllegalStateException if every index is taken (65535 sessions: two per peer, so 32k peers)
     */
    int allocate(Object owner) {
        if (owner == null) {
            throw new IllegalArgumentException("owner is required");
        }
        for (int attempt = 0; attempt < 64; attempt++) {
            int index = 1 + random.nextInt(SIZE - 1);
            if (owners.compareAndSet(index, null, owner)) {
                return index;
            }
        }
        int start = 1 + random.nextInt(SIZE - 1);
        for (int k = 0; k < SIZE - 1; k++) {
            int index = 1 + (start - 1 + k) % (SIZE - 1);
            if (owners.compareAndSet(index, null, owner)) {
                return index;
            }
        }
        throw new IllegalStateException("every session index is taken");
    }

    /** Frees {@code index} if {@code owner} holds it. */
    void release(int index, Object owner) {
        if (index > 0 && index < SIZE) {
            owners.compareAndSet(index, owner, null);
        }
    }

    /** Frees every index {@code owner} holds (the peer was removed). */
    public void releaseAll(Object owner) {
        for (int i = 1; i < SIZE; i++) {
            owners.compareAndSet(i, owner, null);
        }
    }

    /** The owner of {@code index} (0..65535), or null. */
    public Object owner(int index) {
        return index > 0 && index < SIZE ? owners.get(index) : null;
    }

    /** Indices in use (a scan: for status and tests). */
    int inUse() {
        int n = 0;
        for (int i = 1; i < SIZE; i++) {
            if (owners.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
