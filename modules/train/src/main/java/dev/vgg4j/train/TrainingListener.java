package dev.vgg4j.train;

/**
 * Observes a {@link Trainer}: logging, progress, metrics and checkpointing live here rather than in
 * the training loop. Every method has an empty default; listeners run on the training thread, in
 * the order they were added.
 */
public interface TrainingListener {

    /** Before the first epoch of {@link Trainer#fit()} ({@code firstEpoch} > 1 after a resume). */
    default void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {}

    /** After each training step. */
    default void onStep(StepResult step) {}

    /**
     * After each epoch's validation and scheduler step; the trainer's state (model, optimizer,
     * scheduler, {@link Trainer#epochsCompleted()}) already includes this epoch, so a checkpoint
     * written here resumes at the next one.
     */
    default void onEpochEnd(EpochResult epoch, Trainer trainer) {}

    /** After the final evaluation on the test set, when the trainer has one. */
    default void onTestEvaluated(Evaluation test) {}
}
