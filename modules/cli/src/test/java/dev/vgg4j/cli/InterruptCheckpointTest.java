package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.train.StepResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Ctrl-C does, without sending a signal: the hook's {@code requestAndWait} raises the flag and
 * waits; the training thread writes the checkpoint at its next step and releases the hook.
 */
class InterruptCheckpointTest {
    @TempDir
    Path dir;

    private final StringWriter text = new StringWriter();
    private final List<Path> saved = new CopyOnWriteArrayList<>();

    @Test
    void theHookWaitsUntilTheTrainingThreadSavedAtItsNextStep() throws Exception {
        try (InterruptCheckpoint interrupt = new InterruptCheckpoint(dir, new PrintWriter(text, true))) {
            interrupt.arm(saved::add);
            interrupt.onStep(step(4));
            assertTrue(saved.isEmpty(), "no checkpoint before Ctrl-C");

            Thread hook = Thread.ofPlatform().start(interrupt::requestAndWait);
            while (hook.getState() != Thread.State.TIMED_WAITING && hook.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(hook.isAlive(), "the hook waits for the training thread");

            interrupt.onStep(step(5));
            interrupt.onStep(step(6));
            hook.join(TimeUnit.SECONDS.toMillis(30));

            assertFalse(hook.isAlive());
            assertEquals(List.of(dir.resolve(InterruptCheckpoint.FILE)), saved, "saved once, at the first safe point");
            assertTrue(text.toString().contains("Interrupted at epoch 2, after batch 6/10: saved "), text.toString());
        }
    }

    @Test
    void withoutTrainingTheHookReturnsAtOnce() {
        try (InterruptCheckpoint interrupt = new InterruptCheckpoint(dir, new PrintWriter(text, true))) {
            interrupt.requestAndWait();

            assertTrue(saved.isEmpty());
            assertEquals("", text.toString());
        }
    }

    private static StepResult step(int batch) {
        return new StepResult(2, 3, batch, 10, 12.5, 3, 8, 1e-3);
    }
}
