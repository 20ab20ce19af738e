package dev.vgg4j.train;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * Prints a progress line every few training steps and at the last step of an epoch, e.g.
 * {@code   epoch 1/30 | batch 100/351 | loss 1.23456 | acc 0.562 | lr 1.0000e-03 | 1805.3 images/s | ETA 0:00:14};
 * loss, accuracy and images/s are over the epoch so far, the ETA is the epoch's remaining training.
 */
public final class ProgressLogger implements TrainingListener {
    private final Consumer<String> out;
    private final IntUnaryOperator intervalForBatches;
    private final LongSupplier nanoClock;
    private long epochStartNanos;
    private double summedLoss;
    private long correct;
    private long samples;

    /** A line every {@code interval} steps; {@code out} takes one line at a time, e.g. {@code System.out::println}. */
    public ProgressLogger(Consumer<String> out, int interval) {
        if (interval < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1 step, got " + interval);
        }
        this(out, batches -> interval, System::nanoTime);
    }

    /** About {@code lines} lines per epoch, whatever its number of batches. */
    public static ProgressLogger linesPerEpoch(Consumer<String> out, int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("progress lines per epoch must be >= 1, got " + lines);
        }
        return new ProgressLogger(out, batches -> Math.ceilDiv(batches, lines), System::nanoTime);
    }

    /** @param intervalForBatches the step interval for an epoch of that many batches */
    ProgressLogger(Consumer<String> out, IntUnaryOperator intervalForBatches, LongSupplier nanoClock) {
        this.out = out;
        this.intervalForBatches = intervalForBatches;
        this.nanoClock = nanoClock;
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        epochStartNanos = nanoClock.getAsLong();
    }

    /** The next epoch's training starts right after the listeners of this one. */
    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        epochStartNanos = nanoClock.getAsLong();
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
        int total = step.batchesPerEpoch();
        if (done % Math.max(1, intervalForBatches.applyAsInt(total)) == 0 || done == total) {
            double seconds = (nanoClock.getAsLong() - epochStartNanos) * 1e-9;
            long etaSeconds = Math.round(seconds / done * (total - done));
            out.accept(String.format(Locale.ROOT, "  epoch %d/%d | batch %d/%d | loss %s | acc %s | lr %.4e | %s images/s | ETA %d:%02d:%02d",
                    step.epoch(), step.epochs(), done, total, PyFormat.fixed(summedLoss / samples, 5),
                    PyFormat.fixed((double) correct / samples, 3), step.learningRate(),
                    PyFormat.fixed(seconds > 0 ? samples / seconds : 0, 1),
                    etaSeconds / 3600, etaSeconds / 60 % 60, etaSeconds % 60));
        }
    }
}
