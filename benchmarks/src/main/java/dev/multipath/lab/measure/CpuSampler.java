package dev.multipath.lab.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a process from {@code /proc/PID/stat} (utime + stime, in clock ticks of 1/100 s). Take a sample before
 * and after a flow; {@link #percent} gives the share of one core over that time. Stateless.
 */
public final class CpuSampler {
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuSampler() {
    }

    /** A sample: CPU seconds used so far and the wall time it was taken at. */
    public record Sample(double cpuSeconds, long nanoTime) {
    }

    /** Samples process {@code pid}; NaN CPU if it is gone. */
    public static Sample sample(long pid) {
        long now = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces: fields after it start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return new Sample(ticks / TICKS_PER_SECOND, now);
        } catch (IOException | RuntimeException e) {
            return new Sample(Double.NaN, now);
        }
    }

    /** CPU use between two samples in percent of one core (200 = two full cores). */
    public static double percent(Sample before, Sample after) {
        double wall = (after.nanoTime() - before.nanoTime()) / 1e9;
        return wall <= 0 ? Double.NaN : 100.0 * (after.cpuSeconds() - before.cpuSeconds()) / wall;
    }
}
