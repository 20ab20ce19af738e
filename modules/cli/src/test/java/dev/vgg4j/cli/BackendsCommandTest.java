package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.spi.Backends;
import org.junit.jupiter.api.Test;

class BackendsCommandTest {
    @Test
    void listsEveryProviderWithItsStatusAndMarksTheDefault() {
        CliRun run = CliRun.of("backends", "--threads", "1");

        assertEquals(0, run.exitCode(), run.err());
        for (Backends.Info info : Backends.list()) {
            String row = run.out().lines().filter(line -> line.startsWith(info.name() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + info.name() + " in\n" + run.out()));
            assertTrue(row.contains(info.availability().available() ? "available: " : "unavailable: "), row);
        }
        assertTrue(run.out().contains(Backends.defaultName() + " *"), run.out());
        assertTrue(run.out().contains("reference"), "the reference backend is always on the CLI class path");
    }
}
