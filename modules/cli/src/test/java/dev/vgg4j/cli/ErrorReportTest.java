package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad input (exit 2) is what the user gave; an internal IllegalArgumentException is a failure (exit 1). */
class ErrorReportTest {
    private final StringWriter err = new StringWriter();

    private int report(Exception e) {
        CommandLine command = new CommandLine(new DemoCommand());
        command.setErr(new PrintWriter(err, true));
        return new ErrorReport(() -> false).handleExecutionException(e, command, null);
    }

    @Test
    void badInputIsExitTwoAndOneLine() {
        assertEquals(ErrorReport.BAD_INPUT, report(new BadInputException("--epochs: expected a positive number, got 0")));
        assertEquals("vgg4j demo: --epochs: expected a positive number, got 0", err.toString().strip());
    }

    @Test
    void anInternalIllegalArgumentIsAFailureNotBadInput() {
        assertEquals(ErrorReport.FAILURE, report(new IllegalArgumentException("tensor belongs to another backend")));
        assertTrue(err.toString().contains("failed: java.lang.IllegalArgumentException: tensor belongs to another backend"),
                err.toString());
    }
}
