package dev.multipath.sched;

import dev.multipath.api.PathView;
import java.util.Arrays;

/**
 * The paths a scheduler knows, with the metric rule: a path is preferred when it is usable and no usable path has
 * a lower metric. Adding and removing are rare (copy on write); queries read a plain array and allocate nothing.
 */
final class PathSet {

    private volatile PathView[] paths = new PathView[0];

    synchronized void add(PathView path) {
        PathView[] a = Arrays.copyOf(paths, paths.length + 1);
        a[a.length - 1] = path;
        paths = a;
    }

    synchronized void remove(PathView path) {
        PathView[] a = paths;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == path) {
                PathView[] b = new PathView[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                paths = b;
                return;
            }
        }
    }

    PathView[] snapshot() {
        return paths;
    }

    boolean anyUsable() {
        for (PathView p : paths) {
            if (p.isUsable()) {
                return true;
            }
        }
        return false;
    }

    /** Lowest metric among usable paths, or Integer.MAX_VALUE if none is usable. */
    int lowestUsableMetric() {
        int best = Integer.MAX_VALUE;
        for (PathView p : paths) {
            if (p.isUsable() && p.metric() < best) {
                best = p.metric();
            }
        }
        return best;
    }

    boolean isPreferred(PathView path) {
        return path.isUsable() && path.metric() <= lowestUsableMetric();
    }

    /** Preferred, or an overflow path while the preferred tier is saturated. */
    boolean mayTake(PathView path, boolean saturated) {
        return isPreferred(path) || saturated && path.overflow() && path.isUsable();
    }
}
