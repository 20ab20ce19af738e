package dev.vgg4j.train;

import java.util.Locale;
import java.util.Optional;

/**
 * When a run has diverged and must stop: a training batch's loss that is NaN or infinite, or an
 * epoch whose mean training or validation loss per image is NaN, infinite, or more than
 * {@value #FACTOR} times the loss per image of the run's first batch (the loss of the untrained
 * model, about ln(classes)). The trainer applies it before an epoch's listeners run, so no
 * checkpoint, "best" or not, ever holds a diverged epoch.
 */
final class DivergenceRule {
    static final double FACTOR = 100;

    /** Loss per image of the run's first training batch; NaN until that batch ran (or a checkpoint gave it). */
    private double firstBatchLoss = Double.NaN;

    double firstBatchLoss() {
        return firstBatchLoss;
    }

    void restoreFirstBatchLoss(double loss) {
        firstBatchLoss = loss;
    }

    /** Why the batch's loss stops the run, if it does; the first finite batch loss becomes the reference. */
    Optional<String> checkBatch(double lossPerImage) {
        if (!Double.isFinite(lossPerImage)) {
            return Optional.of("the training loss is " + lossPerImage);
        }
        if (Double.isNaN(firstBatchLoss)) {
            firstBatchLoss = lossPerImage;
        }
        return Optional.empty();
    }

    /** Why the epoch's mean losses per image stop the run, if they do. */
    Optional<String> checkEpoch(Evaluation train, Evaluation validation) {
        return check("validation", validation.loss()).or(() -> check("training", train.loss()));
    }

    private Optional<String> check(String which, double loss) {
        if (!Double.isFinite(loss)) {
            return Optional.of("the " + which + " loss is " + loss);
        }
        if (loss > FACTOR * firstBatchLoss) {
            return Optional.of(String.format(Locale.ROOT, "the %s loss %.5g is more than %.0f times the first batch's"
                    + " loss %.5g", which, loss, FACTOR, firstBatchLoss));
        }
        return Optional.empty();
    }
}
