package dev.multipath.lab.report;

import dev.multipath.lab.Shell;

/** A one-line description of this machine for reports: kernel, CPU model and count, Java version. Stateless. */
public final class Machine {
    private Machine() {
    }

    public static String describe() {
        String kernel = Shell.tryRun("uname", "-sr").stdout().strip();
        String cpu = Shell.tryRun("sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").stdout().strip();
        return kernel + ", " + Runtime.getRuntime().availableProcessors() + " x " + (cpu.isEmpty() ? "cpu" : cpu)
                + ", Java " + System.getProperty("java.version");
    }
}
