package org.slt4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code slt4j} command-line tool: LLC and symmetry of saved DL4J models, the curve over a checkpoint
 * directory, regression checks against baselines, offline HTML reports, and a check of the platform
 * ({@code doctor}: whether OpenBLAS's kernels fit the CPU). Run it as
 * {@code java -jar slt4j-cli.jar <command> [options]}; {@code --help} on any command lists its options.
 *
 * <p>Exit codes: {@value #EXIT_OK} success (or, for {@code check}, the run holds), {@value #EXIT_REGRESSION}
 * regression found by {@code check} (and {@value #EXIT_UNRELIABLE}, the same code: an unreliable estimate from
 * {@code llc --strict}), {@value #EXIT_BAD_INPUT} bad input (unusable file, option or data: one line
 * on standard error naming the problem; {@code --verbose} adds the stack trace), {@value #EXIT_INTERNAL_ERROR}
 * an unexpected internal error.
 */
@Command(name = "slt4j", sortOptions = false, usageHelpAutoWidth = true, versionProvider = SltCli.Version.class,
        description = "Singular Learning Theory diagnostics for saved Deeplearning4j models and runs.",
        subcommands = {LlcCommand.class, SymmetryCommand.class, CheckpointsCommand.class, CheckCommand.class,
            BaselineCommand.class, ReportCommand.class, DoctorCommand.class},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:success; for check: the run holds",
            "1:check found a regression; llc --strict: the estimate is unreliable",
            "2:bad input (file, option or data)", "3:internal error"})
public final class SltCli implements Runnable {

    /** Success; for {@code check}, the run holds against the baseline. */
    public static final int EXIT_OK = 0;
    /** {@code check} found a regression. */
    public static final int EXIT_REGRESSION = 1;
    /** {@code llc --strict}: the estimate is unreliable (printed all the same, with its warnings). */
    public static final int EXIT_UNRELIABLE = 1;
    /** Bad input: a missing or corrupt file, a malformed CSV or baseline, an invalid option, unfitting data. */
    public static final int EXIT_BAD_INPUT = 2;
    /** An unexpected error inside the tool (a bug); the message asks for {@code --verbose}. */
    public static final int EXIT_INTERNAL_ERROR = 3;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help and exit.")
    boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    private SltCli() {
    }

    /** Runs the tool and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The tool as a picocli {@link CommandLine}, with its error handling and exit codes; {@code execute(args)}
     * runs it in-process (set its out/err writers to capture output).
     */
    public static CommandLine commandLine() {
        return commandLine(new SltCli());
    }

    /**
     * Another program's picocli command with this tool's error handling and exit codes: a
     * {@link BadInputException} exits with {@value #EXIT_BAD_INPUT} and its one-line message, any other exception
     * with {@value #EXIT_INTERNAL_ERROR}; a {@code --verbose} option of the command adds the stack trace.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler(SltCli::handleExecutionException);
        cl.setParameterExceptionHandler(SltCli::handleParameterException);
        return cl;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }

    /** The versions of the tool, of the DL4J it was built with, and of the running Java. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties built = new Properties();
            try (InputStream in = SltCli.class.getResourceAsStream("version.properties")) {
                built.load(Objects.requireNonNull(in, "version.properties"));
            }
            return new String[] {"slt4j " + built.getProperty("version") + " (Deeplearning4j "
                    + built.getProperty("dl4j") + ", Java " + System.getProperty("java.version") + ")"};
        }
    }

    private static int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String prefix = cl.getCommandSpec().qualifiedName() + ": ";
        int code;
        if (e instanceof BadInputException) {
            err.println(prefix + "error: " + e.getMessage());
            code = EXIT_BAD_INPUT;
        } else {
            err.println(prefix + "internal error: " + BadInputException.reason(e)
                    + (isVerbose(parsed) ? "" : " (rerun with --verbose for the stack trace)"));
            code = EXIT_INTERNAL_ERROR;
        }
        if (isVerbose(parsed)) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static int handleParameterException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": error: " + asTyped(BadInputException.reason(e), e, args) + " (see " + name + " --help)");
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /**
     * Picocli names an option by its longest name; an option with an alias ({@code --eps}, {@code --step-size}) is
     * named in the message as the user typed it.
     */
    private static String asTyped(String reason, ParameterException e, String[] args) {
        if (!(e.getArgSpec() instanceof OptionSpec option) || option.names().length < 2) {
            return reason;
        }
        for (String arg : args) {
            for (String optionName : option.names()) {
                if (arg.equals(optionName) || arg.startsWith(optionName + "=")) {
                    return reason.replace("'" + option.longestName() + "'", "'" + optionName + "'");
                }
            }
        }
        return reason;
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
