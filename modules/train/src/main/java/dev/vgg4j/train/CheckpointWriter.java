package dev.vgg4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code last.safetensors} after every epoch and copies it to {@code best.safetensors}
 * when the epoch's validation loss is the best so far, in {@code directory}.
 */
public final class CheckpointWriter implements TrainingListener {
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";

    private final Path directory;

    public CheckpointWriter(Path directory) {
        this.directory = directory;
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        try {
            Files.createDirectories(directory);
            Path last = directory.resolve(LAST);
            trainer.saveCheckpoint(last);
            if (epoch.validation().loss() <= trainer.bestValidationLoss()) {
                trainer.model().save(directory.resolve(BEST));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing the checkpoint of epoch " + epoch.epoch() + " to " + directory
                    + " failed: " + e.getMessage(), e);
        }
    }
}
