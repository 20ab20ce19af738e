package dev.vgg4j.train;

import java.util.function.Consumer;

/**
 * Prints what the recipe prints: per epoch its line (extended with training loss, accuracy and
 * images/s) and the scheduler's "reducing learning rate" line; at the end the test result.
 */
public final class ConsoleLogger implements TrainingListener {
    private final Consumer<String> out;

    /** @param out takes one line at a time, e.g. {@code System.out::println} or a {@code PrintWriter}'s */
    public ConsoleLogger(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        out.accept(epoch.line());
        epoch.learningRateMessage().ifPresent(out);
    }

    @Override
    public void onTestEvaluated(Evaluation test) {
        out.accept("Test Loss: " + PyFormat.fixed(test.loss(), 5) + " | Test Acc: " + PyFormat.fixed(test.accuracy(), 3)
                + " | " + test.samples() + " images |");
    }
}
