package dev.vgg4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes the full training state to the last-checkpoint file after every epoch (resume from it)
 * and copies it over the best-checkpoint file when the epoch's validation loss is the lowest so
 * far; both are replaced whole, so an interrupted run never leaves half a checkpoint.
 */
public final class CheckpointWriter implements TrainingListener {
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";

    private final Path last;
    private final Path best;

    /** {@value #LAST} and {@value #BEST} in {@code directory}. */
    public CheckpointWriter(Path directory) {
        this(directory, LAST, BEST);
    }

    public CheckpointWriter(Path directory, String lastName, String bestName) {
        this.last = directory.resolve(lastName);
        this.best = directory.resolve(bestName);
    }

    public Path lastFile() {
        return last;
    }

    public Path bestFile() {
        return best;
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        try {
            Files.createDirectories(last.toAbsolutePath().getParent());
            trainer.saveCheckpoint(last);
            if (epoch.validation().loss() <= trainer.bestValidationLoss()) {
                AtomicFiles.replace(best, temp -> Files.copy(last, temp, StandardCopyOption.REPLACE_EXISTING));
            }
        } catch (IOException e) {
            throw RunOutputException.failed("writing the checkpoint of epoch " + epoch.epoch() + " to " + last, e);
        }
    }
}
