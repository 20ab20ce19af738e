package dev.vgg4j.train;

import dev.vgg4j.model.io.CheckpointException;
import java.util.Map;
import java.util.Optional;

/**
 * Changes an optimizer's learning rate once per epoch, after validation, as the recipe calls
 * {@code scheduler.step(val_loss)}.
 */
public interface LrScheduler {

    /**
     * Ends an epoch. {@code metric} is the validation loss; schedules that do not watch a metric
     * ignore it. Returns the line PyTorch's verbose mode prints when the learning rate changed.
     */
    Optional<String> step(double metric);

    /** The scheduler's counters as checkpoint metadata. */
    Map<String, String> stateMetadata();

    /** Restores what {@link #stateMetadata()} saved; {@code source} names the checkpoint in errors. */
    void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException;
}
