package dev.multipath.transport.rawip;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test sink: copies every frame (with its link) and records link events; optionally echoes frames back. */
class RecordingSink implements FrameSink {
    record Received(Link link, byte[] bytes) {
    }

    final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Link> ups = new LinkedBlockingQueue<>();
    final BlockingQueue<Link> downs = new LinkedBlockingQueue<>();
    volatile boolean echo;
    volatile Throwable echoFailure;

    @Override
    public void onFrame(Link link, ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        frames.add(new Received(link, copy));
        if (echo) {
            try {
                // From the receive thread, like the engine's handshake replies.
                if (!link.send(frame)) {
                    echoFailure = new AssertionError("echo send returned false");
                }
            } catch (Throwable e) {
                echoFailure = e;
            }
        }
    }

    @Override
    public void onLinkUp(Link link) {
        ups.add(link);
    }

    @Override
    public void onLinkDown(Link link) {
        downs.add(link);
    }

    Link awaitUp() throws InterruptedException {
        Link l = ups.poll(10, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("no link came up within 10 s");
        }
        return l;
    }

    Received awaitFrame() throws InterruptedException {
        Received f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return f;
    }
}
