package dev.vgg4j.cli;

import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.StepResult;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar (me.tongfei:progressbar) over each epoch's training images, with images/s
 * and ETA, redrawn in place on the terminal and cleared when the epoch's training pass ends; add
 * it after the {@link dev.vgg4j.train.ConsoleLogger}, so the next bar starts below the epoch line.
 */
final class TerminalProgress implements TrainingListener {
    private final long imagesPerEpoch;
    private ProgressBar bar;

    TerminalProgress(long imagesPerEpoch) {
        this.imagesPerEpoch = imagesPerEpoch;
    }

    @Override
    public void onTrainingStart(Trainer trainer, int firstEpoch, int epochs) {
        if (firstEpoch <= epochs) {
            start(firstEpoch, epochs);
        }
    }

    @Override
    public void onStep(StepResult step) {
        bar.stepBy(step.samples());
        if (step.batch() == step.batchesPerEpoch() - 1) {
            bar.close();
        }
    }

    @Override
    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
        if (epoch.epoch() < epoch.epochs()) {
            start(epoch.epoch() + 1, epoch.epochs());
        }
    }

    private void start(int epoch, int epochs) {
        bar = new ProgressBarBuilder()
                .setTaskName("Epoch " + epoch + "/" + epochs)
                .setInitialMax(imagesPerEpoch)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .clearDisplayOnFinish()
                .build();
    }
}
