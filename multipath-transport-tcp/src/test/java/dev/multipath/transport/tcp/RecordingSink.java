package dev.multipath.transport.tcp;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Test sink: copies every frame and records link events; can be made to block in onFrame. */
final class RecordingSink implements FrameSink {
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<Link> ups = new LinkedBlockingQueue<>();
    final BlockingQueue<Link> downs = new LinkedBlockingQueue<>();
    volatile CountDownLatch gate;

    @Override
    public void onFrame(Link link, ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.duplicate().get(copy);
        frames.add(copy);
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    Link awaitDown() throws InterruptedException {
        Link l = downs.poll(10, TimeUnit.SECONDS);
        if (l == null) {
            throw new AssertionError("no link went down within 10 s");
        }
        return l;
    }

    byte[] awaitFrame() throws InterruptedException {
        byte[] f = frames.poll(10, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return f;
    }
}
