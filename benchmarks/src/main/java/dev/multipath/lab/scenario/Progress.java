package dev.multipath.lab.scenario;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines on the terminal: which scenario (k of n), which test and run, elapsed time and an estimate of the
 * time left. Thread-safe enough for one runner thread.
 */
public final class Progress {
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final int total;
    private int index;
    private double estimatePerScenario;

    /** {@code estimatePerScenarioSec}: initial guess of one scenario's duration, refined as scenarios finish. */
    public Progress(PrintStream out, int total, double estimatePerScenarioSec) {
        this.out = out;
        this.total = total;
        this.estimatePerScenario = estimatePerScenarioSec;
    }

    public void scenarioStarted(Scenario s) {
        index++;
        print("[%d/%d] %s: %s (%s)", index, total, s.name(), s.description(), s.linksLabel());
    }

    public void scenarioFinished() {
        estimatePerScenario = elapsed() / index;
    }

    /** A step inside the current scenario. */
    public void step(String format, Object... args) {
        print("        " + format, args);
    }

    private void print(String format, Object... args) {
        double left = Math.max(0, (total - index + 1) * estimatePerScenario - (elapsed() - (index - 1)
                * estimatePerScenario));
        out.printf(Locale.ROOT, "%s  [%s elapsed, ~%s left]%n", String.format(Locale.ROOT, format, args),
                mmss(elapsed()), mmss(left));
        out.flush();
    }

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    private static String mmss(double sec) {
        long s = Math.round(sec);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
