package dev.vgg4j.train;

import java.io.PrintStream;

/**
 * Prints what the recipe prints: per epoch its line (extended with training loss, accuracy and
 * images/s) and the scheduler's "reducing learning rate" line; at the end the test result.
 */
public final class ConsoleLogger implements TrainingListener {
    private final PrintStream out;

    public ConsoleLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        out.println(epoch.line());
        epoch.learningRateMessage().ifPresent(out::println);
    }

    @Override
    public void onTestEvaluated(Evaluation test) {
        out.println("Test Loss: " + PyFormat.fixed(test.loss(), 5) + " | Test Acc: " + PyFormat.fixed(test.accuracy(), 3)
                + " | " + test.samples() + " images |");
    }
}
