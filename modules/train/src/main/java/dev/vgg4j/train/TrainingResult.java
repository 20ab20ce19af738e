package dev.vgg4j.train;

import java.util.List;
import java.util.Optional;

/** What {@link Trainer#fit()} ran: the epochs of this call and the final test evaluation, if a test set was given. */
public record TrainingResult(List<EpochResult> epochs, Optional<Evaluation> test) {
    public TrainingResult {
        epochs = List.copyOf(epochs);
    }
}
