package dev.multipath.bench;

import dev.multipath.api.FrameSink;
import dev.multipath.api.Link;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link FrameSink} that copies every frame out (as the engine copies it into a pooled packet) and counts it.
 * Thread-safe: the transport's receive threads call it; the benchmark thread reads the count.
 */
final class CountingSink implements FrameSink {

    private final AtomicLong frames = new AtomicLong();
    private final byte[] copy = new byte[65536];
    private final CountDownLatch up = new CountDownLatch(1);
    private volatile Link link;

    @Override
    public void onFrame(Link from, ByteBuffer frame) {
        frame.get(copy, 0, frame.remaining());
        frames.incrementAndGet();
    }

    @Override
    public void onLinkUp(Link l) {
        link = l;
        up.countDown();
    }

    @Override
    public void onLinkDown(Link l) {
    }

    long frames() {
        return frames.get();
    }

    /** The first link reported up, waiting up to {@code seconds}; throws if none came. */
    Link awaitLink(int seconds) throws InterruptedException {
        if (!up.await(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no link came up within " + seconds + " s");
        }
        return link;
    }
}
