package dev.multipath.examples.routing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One command of a routing plan ({@code ip}, {@code sysctl} or {@code nft}) as its argument vector. Immutable. It is
 * run without a shell; {@link #toString()} is the same command as a shell line (arguments quoted only when needed),
 * which is what {@code --dry-run} prints and what the state file of {@code portal up} records.
 *
 * @param argv program name first, then its arguments; no argument contains a tab or a line break
 */
public record HostCommand(List<String> argv) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    public HostCommand {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        for (String arg : argv) {
            if (arg.isEmpty() || arg.indexOf('\t') >= 0 || arg.indexOf('\n') >= 0 || arg.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("bad argument '" + arg + "' in " + argv);
            }
        }
    }

    /** A command from its words. */
    public static HostCommand of(String... argv) {
        return new HostCommand(List.of(argv));
    }

    /** The program ("ip", "sysctl", "nft"). */
    public String program() {
        return argv.get(0);
    }

    /** The command as a shell line. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder();
        for (String arg : argv) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(PLAIN.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
        }
        return line.toString();
    }

    /** The state-file form: arguments separated by tabs. */
    String toRecord() {
        return String.join("\t", argv);
    }

    /** Parses {@link #toRecord()}'s form. */
    static HostCommand fromRecord(String line) {
        return new HostCommand(List.of(line.split("\t", -1)));
    }
}
