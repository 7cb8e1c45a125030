package dev.multipath.cc;

import java.util.Arrays;

/**
 * One path between a backlogged sender and a receiver on simulated links: the sender's {@link PathController}
 * sends DATA as fast as it allows over {@code forward}; the receiver's controller writes ACKs, which come back
 * over {@code reverse}; probes and replies travel the same links. The frame counter may be shared between
 * paths (as in the real protocol). Records goodput in 100 ms buckets.
 */
final class SimPath {

    static final int FRAME = 1472;
    private static final int CONTROL_OVERHEAD = 12 + 16;

    final Sim sim;
    final SimLink forward;
    final SimLink reverse;
    final PathController sender;
    final PathController receiver;
    private final long[] counter;
    private final byte[] scratch = new byte[AckCodec.MAX_LENGTH];
    private long pendingWake = Long.MAX_VALUE;
    private long pendingAckTimer = Long.MAX_VALUE;
    final long[] bucketBytes = new long[2000];
    boolean sending = true;

    SimPath(Sim sim, int pathId, PathControllerConfig config, SimLink forward, SimLink reverse, long[] counter) {
        this.sim = sim;
        this.forward = forward;
        this.reverse = reverse;
        this.counter = counter;
        this.sender = new PathController(pathId, config, sim.now);
        this.receiver = new PathController(pathId, config, sim.now);
        sim.at(sim.now, this::wake);
    }

    private void wake() {
        long now = sim.now;
        if (now == pendingWake) {
            pendingWake = Long.MAX_VALUE;
        }
        if (sender.probeDue(now)) {
            int len = sender.writeProbe(scratch, 0, now);
            byte[] probe = Arrays.copyOf(scratch, len);
            long arrival = forward.send(now, len + CONTROL_OVERHEAD);
            if (arrival >= 0) {
                sim.at(arrival, () -> onProbe(probe));
            }
        }
        while (sending && sender.canSend(now, FRAME)) {
            long c = counter[0]++;
            sender.onFrameSent(c, FRAME, now);
            long arrival = forward.send(now, FRAME);
            if (arrival >= 0) {
                sim.at(arrival, () -> onData(c));
            }
        }
        long next = sender.nextProbeTime(now);
        if (sending) {
            next = Math.min(next, sender.nextSendTime(now, FRAME));
        }
        scheduleWake(Math.max(next, now + 1000));
    }

    /** Starts or stops offering data (an application-limited sender); starting wakes the sender at once. */
    void setSending(boolean on) {
        sending = on;
        if (on) {
            sim.at(sim.now, this::wake);
        }
    }

    private void scheduleWake(long t) {
        if (t < pendingWake) {
            pendingWake = t;
            sim.at(t, this::wake);
        }
    }

    private void onData(long c) {
        long now = sim.now;
        receiver.onFrameReceived(c, FRAME, now);
        int bucket = (int) (now / Sim.ms(100));
        if (bucket < bucketBytes.length) {
            bucketBytes[bucket] += FRAME;
        }
        if (receiver.ackDue(now)) {
            sendAck();
        } else {
            long t = receiver.nextAckTime();
            if (t < pendingAckTimer) {
                pendingAckTimer = t;
                sim.at(t, () -> {
                    pendingAckTimer = Long.MAX_VALUE;
                    if (receiver.ackDue(sim.now)) {
                        sendAck();
                    }
                });
            }
        }
    }

    private void sendAck() {
        int len = receiver.writeAck(scratch, 0, sim.now);
        byte[] payload = Arrays.copyOf(scratch, len);
        long arrival = reverse.send(sim.now, len + CONTROL_OVERHEAD);
        if (arrival >= 0) {
            sim.at(arrival, () -> {
                sender.onAckFrame(payload, 0, payload.length, sim.now);
                wake();
            });
        }
    }

    private void onProbe(byte[] probe) {
        byte[] reply = new byte[probe.length];
        PathController.writeProbeReply(probe, 0, probe.length, reply, 0);
        long arrival = reverse.send(sim.now, reply.length + CONTROL_OVERHEAD);
        if (arrival >= 0) {
            sim.at(arrival, () -> {
                sender.onProbeReply(reply, 0, reply.length, sim.now);
                wake();
            });
        }
    }

    /** Goodput in bytes/s over [from, to) (100 ms resolution). */
    double goodput(long fromNanos, long toNanos) {
        int a = (int) (fromNanos / Sim.ms(100));
        int b = (int) (toNanos / Sim.ms(100));
        long sum = 0;
        for (int i = a; i < b; i++) {
            sum += bucketBytes[i];
        }
        return sum / ((b - a) * 0.1);
    }

    static SimPath simple(Sim sim, int pathId, PathControllerConfig config, double mbit, double oneWayDelayMs,
            double queueMs, long[] counter) {
        long rate = SimLink.mbit(mbit);
        SimLink fwd = new SimLink(rate, Sim.ms(oneWayDelayMs), Math.max(4 * FRAME, (long) (rate * queueMs / 1000)));
        SimLink rev = new SimLink(SimLink.mbit(1000), Sim.ms(oneWayDelayMs), 1 << 24);
        return new SimPath(sim, pathId, config, fwd, rev, counter);
    }
}
