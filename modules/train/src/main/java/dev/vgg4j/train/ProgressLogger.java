package dev.vgg4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a progress line every {@code interval} training steps and at the last step of an epoch,
 * e.g. {@code   epoch 1/30 | batch 100/351 | loss 1.23456 | acc 0.562 | lr 1.0000e-03}; the loss and
 * accuracy are the means since the epoch began.
 */
public final class ProgressLogger implements TrainingListener {
    private final PrintStream out;
    private final int interval;
    private double summedLoss;
    private long correct;
    private long samples;

    public ProgressLogger(PrintStream out, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 step, got " + interval);
        }
        this.out = out;
        this.interval = interval;
    }

    @Override
    public void onStep(StepResult step) {
        if (step.batch() == 0) {
            summedLoss = 0;
            correct = 0;
            samples = 0;
        }
        summedLoss += step.summedLoss();
        correct += step.correct();
        samples += step.samples();
        int done = step.batch() + 1;
        if (done % interval == 0 || done == step.batchesPerEpoch()) {
            out.println(String.format(Locale.ROOT, "  epoch %d/%d | batch %d/%d | loss %s | acc %s | lr %.4e",
                    step.epoch(), step.epochs(), done, step.batchesPerEpoch(), PyFormat.fixed(summedLoss / samples, 5),
                    PyFormat.fixed((double) correct / samples, 3), step.learningRate()));
        }
    }
}
