package dev.vgg4j.cli;

import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.StepResult;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C during training saves a checkpoint before the JVM exits. The shutdown hook must not touch
 * the model while a step runs, so it only raises a flag and waits; the training thread sees the
 * flag at its next safe point (after a step, or after an epoch's own checkpoint) and writes
 * {@code checkpoint-interrupted.safetensors}. It holds the position inside the epoch, so resuming
 * from it continues at the next batch and repeats the uninterrupted run exactly.
 */
final class InterruptCheckpoint implements TrainingListener, AutoCloseable {
    static final String FILE = "checkpoint-interrupted.safetensors";
    private static final long WAIT_SECONDS = 120;

    private final Path file;
    private final PrintWriter out;
    private final Thread hook = new Thread(this::requestAndWait, "vgg4j-interrupt-checkpoint");
    private final CountDownLatch saved = new CountDownLatch(1);
    private volatile boolean requested;
    private volatile Saver saver;

    /** Writes a training checkpoint; {@link Trainer#saveCheckpoint} in a real run. */
    @FunctionalInterface
    interface Saver {
        void save(Path file) throws IOException;
    }

    InterruptCheckpoint(Path runFolder, PrintWriter out) {
        this.file = runFolder.resolve(FILE);
        this.out = out;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** What the shutdown hook does; returns once the checkpoint is written or training was not running. */
    void requestAndWait() {
        if (saver == null) {
            return;
        }
        requested = true;
        try {
            if (!saved.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                out.println("Interrupted: no safe point within " + WAIT_SECONDS + " s; exiting without a checkpoint");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        arm(trainer::saveCheckpoint);
    }

    /** From now on a Ctrl-C waits for {@code checkpoint} to write the interrupted state. */
    void arm(Saver checkpoint) {
        saver = checkpoint;
    }

    @Override
    public void onStep(StepResult step) {
        if (requested) {
            save("epoch " + step.epoch() + ", after batch " + (step.batch() + 1) + "/" + step.batchesPerEpoch());
        }
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        if (requested) {
            save("end of epoch " + epoch.epoch());
        }
    }

    private void save(String where) {
        if (saved.getCount() == 0) {
            return;
        }
        try {
            saver.save(file);
            out.println();
            out.println("Interrupted at " + where + ": saved " + file + "; continue with --resume " + file);
        } catch (IOException e) {
            out.println("Interrupted at " + where + ": writing " + file + " failed: " + e.getMessage());
        } finally {
            out.flush();
            saved.countDown();
        }
    }

    /** Training is over: Ctrl-C no longer needs a checkpoint. */
    @Override
    public void close() {
        saver = null;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // The hook is running; it returns as soon as it sees no saver.
        }
    }
}
