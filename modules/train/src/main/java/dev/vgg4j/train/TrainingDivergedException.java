package dev.vgg4j.train;

/** The loss became NaN or infinite; the run stopped before writing anything from the bad step. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
