package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad flags give exit code 2 and one line that names the flag, without a stack trace. */
class BadInputTest {
    @Test
    void anUnknownFlagIsNamed() {
        CliRun run = CliRun.of("backends", "--no-such-flag");

        assertEquals(2, run.exitCode());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains("--no-such-flag"), run.err());
    }

    @Test
    void aMissingCommandIsExplained() {
        CliRun run = CliRun.of();

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("a command is needed"), run.err());
    }

    @Test
    void aMalformedNumberNamesItsFlag() {
        CliRun run = CliRun.of("backends", "--threads", "many");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--threads"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --debug: " + run.err());
    }
}
