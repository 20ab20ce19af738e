package dev.vgg4j.cli;

import dev.vgg4j.datasets.DatasetException;
import dev.vgg4j.train.RunOutputException;
import dev.vgg4j.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns errors into one line on stderr and an exit code: 2 for bad input (a flag, a dataset file, a
 * checkpoint: the message names it and says what was expected), 1 for anything else: the environment
 * failing (a full disk while writing the run folder, memory), a diverged run, a bug. The stack trace
 * is printed only with {@code --debug}.
 */
final class ErrorReport implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int BAD_INPUT = 2;
    static final int FAILURE = 1;

    private final BooleanSupplier debug;

    ErrorReport(BooleanSupplier debug) {
        this.debug = debug;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandName() + ": " + e.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')");
        printTraceIfDebug(e, err);
        return BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        // Checked first: a failed write of the run folder is an UncheckedIOException, but not bad input.
        if (e instanceof RunOutputException || e instanceof TrainingDivergedException) {
            err.println("vgg4j " + command.getCommandName() + ": " + e.getMessage());
            printTraceIfDebug(e, err);
            return FAILURE;
        }
        if (isBadInput(e)) {
            err.println("vgg4j " + command.getCommandName() + ": " + e.getMessage());
            printTraceIfDebug(e, err);
            return BAD_INPUT;
        }
        err.println("vgg4j " + command.getCommandName() + ": failed: " + e
                + (debug.getAsBoolean() ? "" : " (run with --debug for the stack trace)"));
        printTraceIfDebug(e, err);
        return FAILURE;
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof BadInputException
                || e instanceof DatasetException
                || e instanceof IllegalArgumentException
                || e instanceof IOException
                || e instanceof UncheckedIOException;
    }

    private void printTraceIfDebug(Exception e, PrintWriter err) {
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
    }
}
