package dev.vgg4j.cli;

import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.Evaluation;
import dev.vgg4j.train.StepResult;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What the user sees while training: a progress bar during each epoch, then the recipe's epoch
 * line (with training loss, accuracy and images/s), the scheduler's "reducing learning rate" line,
 * and at the end {@code Test Acc: 0.xxx}.
 */
final class ConsoleReport implements TrainingListener {
    private final PrintWriter out;
    private final EpochProgress progress;
    private final long imagesPerEpoch;

    ConsoleReport(PrintWriter out, EpochProgress progress, long imagesPerEpoch) {
        this.out = out;
        this.progress = progress;
        this.imagesPerEpoch = imagesPerEpoch;
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        if (firstEpoch <= epochs) {
            progress.start(firstEpoch, epochs, imagesPerEpoch);
        }
    }

    @Override
    public void onStep(StepResult step) {
        progress.advance(step.samples());
        if (step.batch() == step.batchesPerEpoch() - 1) {
            progress.finish();
        }
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        out.println(epoch.line());
        epoch.learningRateMessage().ifPresent(out::println);
        if (epoch.epoch() < epoch.epochs()) {
            progress.start(epoch.epoch() + 1, epoch.epochs(), imagesPerEpoch);
        }
    }

    @Override
    public void onTestEvaluated(Evaluation test) {
        out.println(testLine(test));
    }

    static String testLine(Evaluation test) {
        return String.format(Locale.ROOT, "Test Loss: %.5f | Test Acc: %.3f | %d images", test.loss(),
                test.accuracy(), test.samples());
    }
}
