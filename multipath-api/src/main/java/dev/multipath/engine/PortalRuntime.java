package dev.multipath.engine;

import dev.multipath.api.DropReason;
import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import dev.multipath.api.PacketSource;
import dev.multipath.api.Role;
import dev.multipath.api.Transport;
import dev.multipath.buffer.Packet;
import dev.multipath.cc.PathController;
import dev.multipath.frame.FrameHeader;
import dev.multipath.reorder.FlowReorderBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threaded driver around {@link PortalCore}: one packet-source reader, one packet-source writer, a sender thread
 * per path, the transports' own receive threads (through {@link FrameSink}), and a control thread for timers
 * (handshake, keepalives). Threads are platform threads: the source and the sockets block in native code.
 */
public final class PortalRuntime implements AutoCloseable, ControlOutput {

    private static final Logger LOG = LoggerFactory.getLogger(PortalRuntime.class);
    /** How long an idle thread parks before re-checking its state (bounds shutdown and liveness latency). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long HOLD_BOUND_UPDATE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** A path that delivered nothing for this long (beyond the hold bound) is not waited for. */
    private static final long ACTIVE_PATH_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Shortest park: below this the timer slack makes parking pointless. */
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** A path that sent nothing for this long sends a keepalive. */
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long TICK_MILLIS = 20;
    /** After a refused send a path takes no data for this long, then tries again (one frame lost per try). */
    private static final long SEND_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final PortalCore core;
    private final PacketSource source;
    private final PacketPool pool;
    private final List<Transport> transports;
    private final List<EnginePath> configuredPaths;
    /** Whether this runtime reads the packet source and closes it (false: one peer of a {@link PeerHub}). */
    private final boolean ownsSource;
    private final MpscVarHandleArrayQueue<Packet> toSource;
    private final Doorbell writerBell = new Doorbell();
    private final FlowReorderBuffer reorder = new FlowReorderBuffer(8192, HoldBound.MIN_NANOS);
    private final HoldBound holdBound = new HoldBound();
    private final java.util.function.Consumer<Packet> writeToSource = this::write;
    /** The writer's clock for packets the equalizer releases into the reorder buffer. */
    private long writerNow;
    private final DelayEqualizer equalizer = new DelayEqualizer(2048, this::toReorder);
    private final java.util.function.Consumer<Packet> recycle;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile Thread controlThread;
    private int handshakeRotation;

    /**
     * @param configuredPaths local portal: the paths, index-aligned with {@code transports}; remote: empty
     */
    public PortalRuntime(PortalCore core, PacketSource source, PacketPool pool, List<Transport> transports,
            List<EnginePath> configuredPaths, int receiveQueueCapacity) {
        this(core, source, pool, transports, configuredPaths, receiveQueueCapacity, true);
    }

    /**
     * @param ownsSource false for one peer of a remote portal serving many ({@link PeerHub}): the hub reads the
     *                   shared packet source and hands this runtime its packets ({@link #offerFromSource}), frames
     *                   come through {@link #frameSink()}, and {@link #close()} leaves the source open; this runtime
     *                   still writes the peer's packets to the source (a TUN write is one atomic packet)
     */
    public PortalRuntime(PortalCore core, PacketSource source, PacketPool pool, List<Transport> transports,
            List<EnginePath> configuredPaths, int receiveQueueCapacity, boolean ownsSource) {
        this.ownsSource = ownsSource;
        this.core = core;
        this.source = source;
        this.pool = pool;
        this.transports = List.copyOf(transports);
        this.configuredPaths = List.copyOf(configuredPaths);
        this.toSource = new MpscVarHandleArrayQueue<>(receiveQueueCapacity);
        this.recycle = pool::release;
    }

    /** Control frames built by {@link PortalCore} go out through the path's sender thread. */
    @Override
    public void send(EnginePath path, Packet frame) {
        enqueueControl(path, frame);
    }

    @Override
    public void wake(EnginePath path) {
        path.doorbell().ring();
    }

    /** Called by {@link PortalCore} when the remote portal learns a new path. */
    public void onNewPath(EnginePath path) {
        LOG.info("path {} ({}) joined from {}", path.id(), path.name(), path.link().remoteDescription());
        if (running) {
            startThread("mp-send-" + path.name(), () -> guardedSendLoop(path));
        }
    }

    public void start() throws IOException {
        running = true;
        // The peer runs this engine, whose writer equalizes delays (DelayEqualizer) as this one's does.
        core.scheduler().setPeerEqualizes(true);
        core.scheduler().setDropSink(p -> {
            core.drops().increment(DropReason.NO_PATH);
            pool.release(p);
        });
        if (ownsSource) {
            startThread("mp-source-read", this::readLoop);
        }
        startThread("mp-source-write", this::writeLoop);
        controlThread = startThread("mp-control", this::controlLoop);
        for (EnginePath p : configuredPaths) {
            startThread("mp-send-" + p.name(), () -> guardedSendLoop(p));
        }
        try {
            for (int i = 0; i < transports.size(); i++) {
                EnginePath known = core.role() == Role.LOCAL ? configuredPaths.get(i) : null;
                transports.get(i).start(new Sink(known));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Thread startThread(String name, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException | Error e) {
                LOG.error("thread {} failed", Thread.currentThread().getName(), e);
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    private void readLoop() {
        while (running) {
            Packet p = pool.acquire();
            if (p == null) {
                core.drops().increment(DropReason.QUEUE_FULL);
                sleepBriefly();
                continue;
            }
            int n;
            try {
                ByteBuffer buf = p.payloadForRead();
                n = source.read(buf);
            } catch (IOException e) {
                pool.release(p);
                if (running) {
                    LOG.error("packet source {} failed: {}", source.name(), e.getMessage());
                }
                return;
            }
            if (n < 0) {
                pool.release(p);
                return;
            }
            if (n == 0) {
                pool.release(p);
                continue;
            }
            p.setLength(n);
            p.setTimeNanos(System.nanoTime());
            if (core.onSourcePacket(p)) {
                wakeSenders();
            } else {
                pool.release(p);
            }
        }
    }

    /**
     * A peer of a {@link PeerHub}: a packet from the shared source routed to this peer. Same contract as
     * {@link PortalCore#onSourcePacket}: true if queued, false if dropped and counted (the caller recycles it).
     */
    boolean offerFromSource(Packet p) {
        if (core.onSourcePacket(p)) {
            wakeSenders();
            return true;
        }
        return false;
    }

    /** A peer of a {@link PeerHub}: where the hub hands this peer's frames (the hub has demultiplexed them). */
    FrameSink frameSink() {
        return new Sink(null);
    }

    PortalCore core() {
        return core;
    }

    private void wakeSenders() {
        for (EnginePath path : core.paths()) {
            path.doorbell().ring();
        }
    }

    /**
     * Runs a path's sender; if a turn throws (a bug), logs it, returns what the turn held to the pool and starts over
     * (after 1 ms, doubling up to 1 s while it keeps failing). A sender thread that died silenced its path for the rest
     * of the portal's life while the status still said "up" (decision 29b); a bug should cost a log line, not a path.
     */
    private void guardedSendLoop(EnginePath path) {
        SendBatch batch = new SendBatch();
        long backoffMillis = 1;
        while (running) {
            try {
                sendLoop(path, batch);
                return;
            } catch (RuntimeException e) {
                batch.releaseAll(pool);
                LOG.error("path {}: sender failed, starting it over in {} ms", path.name(), backoffMillis, e);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMillis = Math.min(1000, backoffMillis * 2);
            }
        }
    }

    /**
     * One path's sender: control frames first, then probes and delayed acks when due, then data as the scheduler
     * gives it and, on a datagram link, as the path's congestion control allows.
     */
    private void sendLoop(EnginePath path, SendBatch batch) {
        PathController ctl = path.controller();
        int maxFrame = core.maxDataFrame();
        while (running) {
            Packet control = path.controlQueue().poll();
            if (control != null) {
                send(path, control, control.frameLength(), true);
                continue;
            }
            long now = System.nanoTime();
            Link link = path.link();
            if (link != null && link.isUp() && (core.emitProbeIfDue(path, now) | core.emitAckIfDue(path, now))) {
                continue;
            }
            ctl.isAlive(now);
            core.updateSilence(path, now);
            if (path.retrySendIfDue(now)) {
                wakeSenders(); // the scheduler may have held packets back while this path was out
            }
            // The link read above, not the path's current one: a link bound since (a transport reports it after the
            // senders started) is taken on the next turn. Asking only the path let a sender with no link go on, and
            // its NullPointerException ended the thread: the path sent nothing ever after (CI: a raw IP path never
            // joined; one of a site's two links carried nothing).
            if (link == null || !path.isUsable()) {
                // Lets the scheduler move this path's queue to live paths. It hands out a packet only if the path
                // has become usable since: that packet goes back to the queue (it was simply lost before).
                Packet stray = core.scheduler().poll(path);
                if (stray != null && !core.scheduler().offer(stray)) {
                    core.drops().increment(DropReason.QUEUE_FULL);
                    pool.release(stray);
                }
                park(path, now, nextTimer(ctl, now), () -> !running || !path.controlQueue().isEmpty());
                continue;
            }
            boolean paced = !link.isReliable();
            if (paced && !ctl.canSend(now, maxFrame)) {
                if (core.scheduler().hasWork(path)) {
                    ctl.onDataWaiting();
                }
                long wake = Math.min(ctl.nextSendTime(now, maxFrame), nextTimer(ctl, now));
                park(path, now, wake, () -> !running || !path.controlQueue().isEmpty());
                continue;
            }
            Packet p = core.scheduler().poll(path);
            if (p == null && paced && sendPadding(path, batch, now, maxFrame)) {
                continue;
            }
            if (p == null) {
                if (paced) {
                    ctl.onAppLimited();
                }
                park(path, now, nextTimer(ctl, now), () -> !running || !path.controlQueue().isEmpty()
                        || core.scheduler().hasWork(path));
                continue;
            }
            int n = admitAndSeal(path, p, now);
            if (n < 0) {
                continue;
            }
            long counter = FrameHeader.counter(p.data(), 0);
            if (paced) {
                ctl.onFrameSent(counter, n, now);
                sendBatch(path, batch, p, n, now, maxFrame);
            } else if (send(path, p, n, false)) {
                ctl.onFrameSent(counter, n, now);
            }
        }
    }

    /**
     * Sends a PADDING frame (and whatever data comes right after it) if the path searches for its capacity with
     * nothing else to send ({@link PortalCore#padsNow}).
     *
     * @return whether a frame went
     */
    private boolean sendPadding(EnginePath path, SendBatch batch, long now, int maxFrame) {
        if (!core.padsNow(path, now)) {
            return false;
        }
        Packet p = pool.acquire();
        if (p == null) {
            return false;
        }
        int n = core.sealPadding(path, p, now);
        if (n < 0) {
            pool.release(p);
            return false;
        }
        path.controller().onFrameSent(FrameHeader.counter(p.data(), 0), n, now);
        sendBatch(path, batch, p, n, now, maxFrame);
        return true;
    }

    /**
     * The path's queue manager decides (CoDel on the packet's sojourn: pass, ECN-mark or drop), then the packet is
     * sealed into a frame.
     *
     * @return the frame length, or -1 if the packet was dropped (counted) and recycled
     */
    private int admitAndSeal(EnginePath path, Packet p, long now) {
        if (!core.passesQueue(path, p, now)) {
            pool.release(p);
            return -1;
        }
        int n = core.sealData(path, p, now);
        if (n < 0) {
            pool.release(p);
        }
        return n;
    }

    /**
     * Sends {@code first} (sealed, already counted by the congestion control) together with the data frames the
     * path may send right after it, in one {@link Link#sendBatch}: a UDP link puts them in one segmentation-offload
     * send. Stops at {@link SendBatch#CAPACITY} frames, when the pacer or window says wait, when the scheduler has
     * nothing more, or when a control frame is waiting (it must not queue behind data). Frames the link refuses
     * were counted as sent and will be taken for lost, as a frame lost on the wire is; so after a refused send the
     * next try is one frame alone (a link that keeps refusing costs one frame per retry, not a batch).
     */
    private void sendBatch(EnginePath path, SendBatch batch, Packet first, int firstLength, long now, int maxFrame) {
        PathController ctl = path.controller();
        batch.add(first, firstLength);
        while (!batch.full() && !path.lastSendFailed() && path.controlQueue().isEmpty()
                && ctl.canSend(now, maxFrame)) {
            Packet p = core.scheduler().poll(path);
            if (p == null) {
                break;
            }
            int n = admitAndSeal(path, p, now);
            if (n < 0) {
                continue;
            }
            ctl.onFrameSent(FrameHeader.counter(p.data(), 0), n, now);
            batch.add(p, n);
        }
        int sent = 0;
        try {
            Link link = path.link();
            sent = link == null ? 0 : link.sendBatch(batch.frames(), batch.size());
        } catch (IOException e) {
            LOG.debug("send on path {} failed: {}", path.name(), e.toString());
        }
        if (sent > 0) {
            path.clearSendFailed();
            path.setLastSendNanos(System.nanoTime());
            path.stats().packetsSent.addAndGet(sent);
            path.stats().bytesSent.addAndGet(batch.bytes(sent));
        }
        if (sent < batch.size()) {
            for (int i = sent; i < batch.size(); i++) {
                core.drops().increment(DropReason.LINK_DOWN);
            }
            path.markSendFailed(System.nanoTime() + SEND_RETRY_NANOS);
        }
        batch.releaseAll(pool);
    }

    /** The earliest of the path's probe and delayed-ack times. */
    private static long nextTimer(PathController ctl, long now) {
        return Math.min(ctl.nextProbeTime(now), ctl.nextAckTime());
    }

    /** Parks the path's sender until {@code wakeAt} (at most {@link #IDLE_PARK_NANOS}) or its doorbell rings. */
    private static void park(EnginePath path, long now, long wakeAt, java.util.function.BooleanSupplier ready) {
        long wait = Math.max(MIN_PARK_NANOS, Math.min(IDLE_PARK_NANOS, wakeAt - now));
        path.doorbell().await(ready, wait);
    }

    /** Sends a frame and recycles its packet; returns whether the link took it. */
    private boolean send(EnginePath path, Packet p, int frameLength, boolean control) {
        try {
            Link link = path.link();
            if (link != null && link.send(p.frame(frameLength))) {
                path.clearSendFailed();
                path.setLastSendNanos(System.nanoTime());
                if (control) {
                    path.stats().controlFramesSent.incrementAndGet();
                } else {
                    path.stats().packetsSent.incrementAndGet();
                    path.stats().bytesSent.addAndGet(frameLength);
                }
                return true;
            }
            core.drops().increment(DropReason.LINK_DOWN);
            path.markSendFailed(System.nanoTime() + SEND_RETRY_NANOS);
            return false;
        } catch (IOException e) {
            core.drops().increment(DropReason.LINK_DOWN);
            path.markSendFailed(System.nanoTime() + SEND_RETRY_NANOS);
            LOG.debug("send on path {} failed: {}", path.name(), e.toString());
            return false;
        } finally {
            pool.release(p);
        }
    }

    /**
     * The packet-source writer: restores each flow's order across paths (bounded wait, see {@link FlowReorderBuffer})
     * and writes each packet to the source.
     */
    private void writeLoop() {
        long nextBoundUpdate = 0;
        while (running) {
            long now = System.nanoTime();
            writerNow = now;
            Packet p = toSource.poll();
            if (p != null) {
                equalizer.offer(p, FrameHeader.pathId(p.data(), 0), core.extendedCounter(p.data(), false), now);
                continue;
            }
            equalizer.releaseDue(now);
            if (reorder.held() > 0) {
                // Read the paths' progress before confirming the queue is empty: every packet below it is then in
                // the buffer already (or held by the equalizer, which has it), so what is still missing was lost.
                long settled = lowestActiveCounter(now);
                if (toSource.isEmpty()) {
                    reorder.settleBelow(Math.min(settled, equalizer.lowestHeldCounter()), writeToSource);
                }
                if (reorder.nextDeadline() <= now) {
                    reorder.expire(now, writeToSource);
                }
            }
            if (now >= nextBoundUpdate) {
                reorder.setMaxHoldNanos(holdBound.update(delaySpread(), reorder.lateArrivals()));
                updateEqualizerOffsets();
                nextBoundUpdate = now + HOLD_BOUND_UPDATE_NANOS;
            }
            long deadline = Math.min(reorder.held() > 0 ? reorder.nextDeadline() : Long.MAX_VALUE,
                    equalizer.nextDeadline());
            long wait = deadline == Long.MAX_VALUE ? IDLE_PARK_NANOS : Math.min(IDLE_PARK_NANOS, deadline - now);
            flushSource(); // nothing held back in the source while this thread waits
            writerBell.await(() -> !running || !toSource.isEmpty(), Math.max(MIN_PARK_NANOS, wait));
        }
        equalizer.flush();
        reorder.flush(pool::release);
        flushSource();
    }

    private void flushSource() {
        try {
            source.flush();
        } catch (IOException e) {
            core.drops().increment(DropReason.SOURCE_WRITE_FAILED);
        }
    }

    /** Hands a packet (from the equalizer) to the reorder buffer. */
    private void toReorder(Packet p) {
        reorder.offer(p, PortalCore.flowBucket(p), FrameHeader.flowSequence(p.data(), 0),
                core.extendedCounter(p.data(), false), writerNow, writeToSource, recycle);
    }

    /**
     * Each usable path of the preferred tier is held back by the difference between the longest such path's base
     * one-way delay (half its min RTT) and its own ({@link DelayEqualizer}); other paths not at all.
     */
    private void updateEqualizerOffsets() {
        int metric = Integer.MAX_VALUE;
        for (EnginePath path : core.paths()) {
            if (path.isUsable() && path.controller().minRttNanos() > 0) {
                metric = Math.min(metric, path.metric());
            }
        }
        long longest = 0;
        for (EnginePath path : core.paths()) {
            long min = path.controller().minRttNanos();
            if (path.isUsable() && min > 0 && path.metric() == metric) {
                longest = Math.max(longest, min / 2);
            }
        }
        for (EnginePath path : core.paths()) {
            long min = path.controller().minRttNanos();
            boolean counts = path.isUsable() && min > 0 && path.metric() == metric;
            equalizer.setOffset(path.id(), counts ? longest - min / 2 : 0);
        }
    }

    private void write(Packet p) {
        try {
            source.write(p.payloadForWrite());
            core.countDelivered();
        } catch (IOException e) {
            core.drops().increment(DropReason.SOURCE_WRITE_FAILED);
        }
        pool.release(p);
    }

    private long lowestActiveCounter(long now) {
        return core.lowestActiveCounter(now, reorder.maxHoldNanos() + ACTIVE_PATH_NANOS);
    }

    /** The one-way delay spread between usable paths ({@link HoldBound#addPath}). */
    private long delaySpread() {
        holdBound.beginSpread();
        for (EnginePath path : core.paths()) {
            if (path.isUsable()) {
                holdBound.addPath(path.smoothedRttNanos(), path.controller().minRttNanos());
            }
        }
        return holdBound.spreadNanos();
    }

    private void controlLoop() {
        byte[] scratch = new byte[2048];
        boolean hadSession = false;
        java.io.PrintWriter trace = openTrace();
        long traceStart = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (trace != null) {
                for (EnginePath path : core.paths()) {
                    trace.println((now - traceStart) / 1_000_000 + " " + path.name() + " q="
                            + core.scheduler().queuedPackets() + " " + path.controller().debugState() + " tx="
                            + path.stats().packetsSent.get() + " rx=" + path.stats().packetsReceived.get()
                            + " rescued=" + path.stats().packetsRescued.get() + " padding="
                            + path.stats().paddingSent.get() + (path.isQuiet() ? " quiet" : ""));
                }
                trace.println((now - traceStart) / 1_000_000 + " drops " + core.drops().nonZero() + " reorder "
                        + reorderStatus());
                trace.flush();
            }
            if (core.role() == Role.LOCAL && anyLinkUp()) {
                // Only with a link to send it on: an initiation produced now and dropped would wait for the retry.
                int n = core.authenticator().pollHandshake(scratch, 0, now);
                if (n > 0) {
                    sendHandshake(scratch, n);
                }
            }
            for (EnginePath path : core.paths()) {
                boolean wasAlive = path.controller().isAliveView();
                if (path.controller().isAlive(now) != wasAlive) {
                    LOG.info("path {} {}", path.name(), wasAlive ? "dead (probes unanswered)" : "alive again");
                    path.doorbell().ring();
                    if (wasAlive) {
                        wakeSenders(); // others take over its queue
                    }
                }
            }
            boolean session = core.authenticator().hasSession();
            if (session && core.role() == Role.LOCAL) {
                // A new session is confirmed to the remote portal by the first frame under it: send one at once.
                for (EnginePath path : core.paths()) {
                    if (path.link() != null && path.link().isUp()
                            && (!hadSession || now - path.lastSendNanos() > KEEPALIVE_NANOS)) {
                        queueKeepalive(path, now);
                    }
                }
            }
            hadSession = session;
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Diagnostics: with MP_TRACE_DIR set, every control tick writes each path's controller state there. */
    private java.io.PrintWriter openTrace() {
        String dir = System.getenv("MP_TRACE_DIR");
        if (dir == null) {
            return null;
        }
        try {
            return new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(java.nio.file.Path.of(dir,
                    "trace-" + core.role() + "-" + ProcessHandle.current().pid() + ".txt")));
        } catch (IOException e) {
            LOG.warn("cannot open trace in {}: {}", dir, e.toString());
            return null;
        }
    }

    private boolean anyLinkUp() {
        for (EnginePath path : core.paths()) {
            Link link = path.link();
            if (link != null && link.isUp()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A handshake initiation goes out on one path whose link is up, a different one at each retry, so that a dead
     * path cannot stall the session and the remote portal does not see duplicates.
     */
    private void sendHandshake(byte[] frame, int length) {
        List<EnginePath> paths = core.paths();
        for (int k = 0; k < paths.size(); k++) {
            EnginePath path = paths.get((handshakeRotation + k) % paths.size());
            Link link = path.link();
            if (link == null || !link.isUp()) {
                continue;
            }
            handshakeRotation = (handshakeRotation + k + 1) % paths.size();
            Packet p = pool.acquire();
            if (p == null) {
                return;
            }
            System.arraycopy(frame, 0, p.data(), 0, length);
            p.setFrameLength(length);
            enqueueControl(path, p);
            return;
        }
    }

    private void queueKeepalive(EnginePath path, long now) {
        Packet p = pool.acquire();
        if (p == null) {
            return;
        }
        if (core.sealKeepalive(path, p, now) < 0) {
            pool.release(p);
            return;
        }
        path.setLastSendNanos(now);
        enqueueControl(path, p);
    }

    private void enqueueControl(EnginePath path, Packet p) {
        if (path.controlQueue().offer(p)) {
            path.doorbell().ring();
        } else {
            pool.release(p);
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Receives frames from the transports. For a local path transport, {@code known} is its path. */
    private final class Sink implements FrameSink {
        private final EnginePath known;

        Sink(EnginePath known) {
            this.known = known;
        }

        @Override
        public void onFrame(Link link, ByteBuffer frame) {
            int len = frame.remaining();
            Packet p = pool.acquire();
            if (p == null) {
                core.drops().increment(DropReason.RECEIVE_QUEUE_FULL);
                return;
            }
            if (len > p.data().length) {
                core.drops().increment(DropReason.MALFORMED);
                pool.release(p);
                return;
            }
            frame.get(p.data(), 0, len);
            InboundAction action = core.onFrame(link, known, p, len, System.nanoTime());
            switch (action) {
                case DELIVER:
                    if (toSource.offer(p)) {
                        writerBell.ring();
                    } else {
                        core.drops().increment(DropReason.RECEIVE_QUEUE_FULL);
                        pool.release(p);
                    }
                    break;
                case REPLY:
                    try {
                        link.send(p.frame(p.frameLength()));
                    } catch (IOException e) {
                        LOG.debug("handshake reply failed: {}", e.toString());
                    }
                    pool.release(p);
                    break;
                default:
                    pool.release(p);
            }
        }

        @Override
        public void onLinkUp(Link link) {
            if (known != null) {
                if (core.onLinkUp(known, link)) {
                    LOG.info("path {} up ({})", known.name(), link.remoteDescription());
                }
                if (core.authenticator().hasSession()) {
                    queueKeepalive(known, System.nanoTime());
                }
            }
        }

        @Override
        public void onLinkDown(Link link) {
            if (known != null) {
                if (known.linkDown(link)) {
                    LOG.info("path {} down", known.name());
                }
            } else {
                core.onLinkDown(link);
            }
            wakeSenders();
        }
    }

    @Override
    public void close() {
        running = false;
        for (Transport t : transports) {
            try {
                t.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing transport {} failed: {}", t.kind(), e.toString());
            }
        }
        if (ownsSource) {
            try {
                source.close();
            } catch (IOException e) {
                LOG.warn("closing packet source failed: {}", e.toString());
            }
        }
        for (Thread t : threads) {
            java.util.concurrent.locks.LockSupport.unpark(t); // parked senders and writer re-check `running`
        }
        Thread control = controlThread;
        if (control != null) {
            control.interrupt(); // it sleeps between ticks
        }
        for (Thread t : threads) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        core.scheduler().drainTo(pool::release);
        Packet p;
        while ((p = toSource.poll()) != null) {
            pool.release(p);
        }
        reorder.flush(pool::release);
        for (EnginePath path : core.paths()) {
            while ((p = path.controlQueue().poll()) != null) {
                pool.release(p);
            }
        }
    }

    /** Reorder counters (written by the writer thread; read here without locks, good enough for status). */
    public dev.multipath.api.PortalStatus.Reorder reorderStatus() {
        return new dev.multipath.api.PortalStatus.Reorder(reorder.heldTotal(), reorder.releasedInOrder(),
                reorder.releasedByTimeout(), reorder.releasedBySettle(), reorder.lateArrivals(), reorder.duplicates(),
                reorder.maxHoldNanos());
    }

    List<EnginePath> paths() {
        return new ArrayList<>(core.paths());
    }
}
