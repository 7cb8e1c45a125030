package dev.multipath.lab.measure;

import java.util.Arrays;
import java.util.List;

/** Summary statistics of repeated measurements (the seed's method: repeat until the CoV is small). Stateless. */
public final class Stats {
    private Stats() {
    }

    public static double mean(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (n - 1); 0 for fewer than two values. */
    public static double stddev(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** Coefficient of variation: stddev / mean; infinite for fewer than two values or a zero mean. */
    public static double cov(double[] v) {
        double m = mean(v);
        if (v.length < 2 || m == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return stddev(v) / Math.abs(m);
    }

    public static double median(double[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        // a/2 + b/2, not (a+b)/2: the sum of two huge values overflows to infinity (the jqwik property found it)
        return n % 2 == 1 ? s[n / 2] : s[n / 2 - 1] / 2 + s[n / 2] / 2;
    }

    public static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    public static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    public static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
