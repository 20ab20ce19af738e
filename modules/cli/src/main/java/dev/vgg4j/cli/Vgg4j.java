package dev.vgg4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code vgg4j} command: train and run VGG ConvNets on the JVM. */
@Command(name = "vgg4j", mixinStandardHelpOptions = true, version = "vgg4j 0.1.0",
        description = "Train and run VGG ConvNets on the JVM.",
        subcommands = {DemoCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class,
                BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Vgg4j implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error instead of one line.")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed: demo, train, evaluate, predict or backends");
    }

    public static void main(String[] args) {
        int exitCode = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(exitCode);
    }

    /** Runs the command line in this process and returns its exit code (0 ok, 1 failure, 2 bad input). */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Vgg4j app = new Vgg4j();
        CommandLine commandLine = new CommandLine(app);
        ErrorReport errors = new ErrorReport(() -> app.debug);
        commandLine.setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // picocli passes Errors on; the heap is too small for the run despite the estimate made first
            err.println("vgg4j: " + ErrorReport.outOfMemoryLine(e));
            if (app.debug) {
                e.printStackTrace(err);
            }
            return ErrorReport.FAILURE;
        }
    }
}
