package dev.vgg4j.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar (me.tongfei:progressbar) with images/s and ETA, redrawn in place on the terminal. */
final class TerminalProgress implements EpochProgress {
    private ProgressBar bar;

    @Override
    public void start(int epoch, int epochs, long totalImages) {
        bar = new ProgressBarBuilder()
                .setTaskName("Epoch " + epoch + "/" + epochs)
                .setInitialMax(totalImages)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" img", 1)
                .showSpeed()
                .setUpdateIntervalMillis(250)
                .clearDisplayOnFinish()
                .build();
    }

    @Override
    public void advance(long images) {
        bar.stepBy(images);
    }

    @Override
    public void finish() {
        bar.close();
    }
}
