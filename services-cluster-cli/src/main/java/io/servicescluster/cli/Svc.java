package io.servicescluster.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code svc}: the command line of services-cluster (SPEC §5). */
// scope INHERIT: every subcommand gets --help and --version too (svc run --help prints help
// rather than complaining that FILE is missing)
@Command(name = "svc", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Svc.Version.class,
        description = "Runs clusters of services: each in its own container, in dependency order.",
        subcommands = {CheckCommand.class, RunCommand.class, GraphCommand.class, PsCommand.class, TopCommand.class,
            LogsCommand.class, StopCommand.class, RestartCommand.class, UiCommand.class, CleanCommand.class, VerifyCommand.class})
public final class Svc implements Runnable {

    /** Exit status: the file or the usage is invalid. */
    static final int INVALID = 2;
    /** Exit status: the command could not do its work (no cluster running, an I/O error, …). */
    static final int FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs {@code svc} with {@code args} and returns its exit status. */
    static int execute(String... args) {
        return execute(new CommandLine(new Svc()), args);
    }

    /** Runs {@code svc} with {@code args}, writing what commands print to {@code out} and {@code err}. */
    static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return execute(new CommandLine(new Svc()).setOut(out).setErr(err), args);
    }

    private static int execute(CommandLine commandLine, String... args) {
        return commandLine
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println("svc: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                    return FAILURE;
                })
                .setParameterExceptionHandler((e, a) -> {
                    e.getCommandLine().getErr().println("svc: " + e.getMessage());
                    e.getCommandLine().usage(e.getCommandLine().getErr());
                    return INVALID;
                })
                .execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Svc.class.getPackage().getImplementationVersion();
            return new String[] {"svc " + (version == null ? "(development build)" : version)};
        }
    }
}
