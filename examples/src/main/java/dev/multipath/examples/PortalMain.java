package dev.multipath.examples;

import dev.multipath.examples.config.ConfigException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code portal} command line: {@code run}, {@code check}, {@code help}, {@code --version}.
 *
 * <p>Errors end in one line on stderr ({@code portal: ...}) and an exit code from {@link ExitCodes}; a stack
 * trace is printed only with {@code --verbose}. Logging is configured after the arguments are parsed and before
 * any command runs, so no logger exists before {@code --verbose} is known (command classes therefore never hold
 * a static logger).
 */
@Command(name = "portal", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Bonds several internet connections into one tunnel that carries whole IP packets.%n"
                + "Run a local portal (next to the clients) and a remote portal (on a well-connected server),"
                + " each from a TOML config file.",
        subcommands = {RunCommand.class, CheckCommand.class, StatusCommand.class, KeyCommands.GenKey.class, KeyCommands.PubKey.class,
                RoutingCommands.Up.class, RoutingCommands.Down.class,
                HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  portal check -c examples/config/local.toml", "  sudo portal run -c /etc/portal/local.toml",
                "  sudo portal status"})
public final class PortalMain implements Callable<Integer> {

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log at DEBUG and print stack traces on errors.")
    boolean verbose;

    @Spec
    CommandSpec spec;

    /** Entry point of the shaded jar: runs the command and exits with its code. */
    public static void main(String[] args) {
        CommandLine commandLine = newCommandLine();
        int exitCode = commandLine.execute(args);
        // picocli's writers flush only on println; System.exit would lose anything printed with print.
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        System.exit(exitCode);
    }

    /**
     * Runs the command line with the given streams instead of stdout/stderr and returns the exit code instead of
     * exiting (for tests and embedding).
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = newCommandLine();
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** "portal" alone: show the usage, as bad usage. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.BAD_USAGE_OR_CONFIG;
    }

    static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new PortalMain());
        addExitCodeList(commandLine);
        addExitCodeList(commandLine.getSubcommands().get("run"));
        commandLine.setExecutionStrategy(parseResult -> {
            Logging.configure(verboseRequested(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setParameterExceptionHandler(PortalMain::onBadUsage);
        commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> onFailure(e, cl, parseResult));
        return commandLine;
    }

    private static void addExitCodeList(CommandLine commandLine) {
        Map<String, String> codes = new LinkedHashMap<>();
        for (String entry : ExitCodes.HELP_LIST) {
            int colon = entry.indexOf(':');
            codes.put(" " + entry.substring(0, colon), entry.substring(colon + 1));
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }

    /** Whether --verbose was given at any level ("portal -v run ..." or "portal run -v ..."). */
    private static boolean verboseRequested(ParseResult parseResult) {
        for (ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static int onBadUsage(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println("portal: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
        }
        return ExitCodes.BAD_USAGE_OR_CONFIG;
    }

    private static int onFailure(Exception e, CommandLine commandLine, ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int exitCode;
        if (e instanceof CliFailure) {
            err.println("portal: " + e.getMessage());
            exitCode = ((CliFailure) e).exitCode();
        } else if (e instanceof ConfigException) {
            err.println("portal: " + e.getMessage());
            exitCode = ExitCodes.BAD_USAGE_OR_CONFIG;
        } else {
            err.println("portal: unexpected error: " + e + (verboseRequested(parseResult) ? ""
                    : " (run with --verbose for details)"));
            exitCode = ExitCodes.RUNTIME_FAILURE;
        }
        if (verboseRequested(parseResult)) {
            Throwable trace = e instanceof CliFailure && e.getCause() != null ? e.getCause() : e;
            trace.printStackTrace(err);
        }
        return exitCode;
    }
}
