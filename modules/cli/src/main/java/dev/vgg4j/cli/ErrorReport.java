package dev.vgg4j.cli;

import dev.vgg4j.datasets.DatasetException;
import dev.vgg4j.train.RunOutputException;
import dev.vgg4j.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns errors into one line on stderr and an exit code: 2 for bad input (a flag, a dataset file, a
 * checkpoint: the message names it and says what was expected), 1 for anything else: the environment
 * failing (a full disk while writing the run folder, an {@link OutOfMemoryError}), a diverged run, a
 * bug. Bad input is a {@link BadInputException} (thrown where the flags and files are checked), a
 * {@code DatasetException} or an I/O error; an {@link IllegalArgumentException} from inside (e.g. "tensor
 * belongs to another backend") is a bug, not bad input. The stack trace is printed only with {@code --debug}.
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
        Optional<OutOfMemoryError> outOfMemory = outOfMemoryIn(e);
        if (outOfMemory.isPresent()) {
            err.println("vgg4j " + command.getCommandName() + ": " + outOfMemoryLine(outOfMemory.get()));
            printTraceIfDebug(e, err);
            return FAILURE;
        }
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

    /** An {@link OutOfMemoryError} that ended a command, e.g. in a loader thread, as the cause of {@code e}. */
    private static Optional<OutOfMemoryError> outOfMemoryIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return Optional.of(oom);
            }
        }
        return Optional.empty();
    }

    /** One line for the memory running out despite the estimate made before training. */
    static String outOfMemoryLine(OutOfMemoryError e) {
        return String.format(Locale.ROOT, "out of memory (%s) with a heap of %.1f GiB (Runtime.maxMemory); lower"
                + " --batch-size, --image-size or --width, or give the JVM more with VGG4J_JAVA_OPTS=-Xmx<size>",
                e.getMessage(), Runtime.getRuntime().maxMemory() / (double) (1L << 30));
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof BadInputException
                || e instanceof DatasetException
                || e instanceof IOException
                || e instanceof UncheckedIOException;
    }

    private void printTraceIfDebug(Exception e, PrintWriter err) {
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
    }
}
