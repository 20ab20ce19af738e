package dev.vgg4j.train;

import java.util.Optional;

/**
 * One finished epoch: training, validation and the scheduler's step.
 *
 * @param epoch                1-based
 * @param durationSeconds      training plus validation, as the recipe times an epoch
 * @param trainSeconds         the training part alone
 * @param dataWaitSeconds      time the training loop waited for batches from the loader
 * @param learningRate         the rate the epoch trained with
 * @param learningRateMessage  the scheduler's announcement after this epoch, if the rate changed
 */
public record EpochResult(int epoch, int epochs, double durationSeconds, Evaluation validation, Evaluation train,
                          double trainSeconds, double dataWaitSeconds, double learningRate,
                          Optional<String> learningRateMessage) {

    /** Training images per second of training time. */
    public double imagesPerSecond() {
        return train.samples() / trainSeconds;
    }

    /** Exactly the recipe's line, e.g. {@code Epoch:  1/30 | Epoch Duration: 25.635 sec | Val Loss: 1.81580 | Val Acc: 0.296 |}. */
    public String recipeLine() {
        return String.format(java.util.Locale.ROOT, "Epoch: %2d/%d | Epoch Duration: %s sec | Val Loss: %s | Val Acc: %s |",
                epoch, epochs, PyFormat.fixed(durationSeconds, 3), PyFormat.fixed(validation.loss(), 5),
                PyFormat.fixed(validation.accuracy(), 3));
    }

    /** The recipe's line followed by training loss, accuracy and throughput. */
    public String line() {
        return recipeLine() + " Train Loss: " + PyFormat.fixed(train.loss(), 5)
                + " | Train Acc: " + PyFormat.fixed(train.accuracy(), 3)
                + " | Images/s: " + PyFormat.fixed(imagesPerSecond(), 1) + " |";
    }
}
