package dev.vgg4j.cli;

import java.io.PrintWriter;
import java.time.Duration;

/** Progress as whole lines, one per tenth of an epoch: for output that is not a terminal. */
final class PlainProgress implements EpochProgress {
    private static final int LINES_PER_EPOCH = 10;

    private final PrintWriter out;
    private int epoch;
    private int epochs;
    private long total;
    private long done;
    private int linesPrinted;
    private long startNanos;

    PlainProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void start(int epoch, int epochs, long totalImages) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.total = totalImages;
        this.done = 0;
        this.linesPrinted = 0;
        this.startNanos = System.nanoTime();
    }

    @Override
    public void advance(long images) {
        done += images;
        int due = (int) (done * LINES_PER_EPOCH / Math.max(1, total));
        if (due > linesPrinted && done < total) {
            linesPrinted = due;
            out.println(line(System.nanoTime() - startNanos));
        }
    }

    @Override
    public void finish() {
        // The trainer's epoch line follows and says it all.
    }

    String line(long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        long etaSeconds = rate > 0 ? Math.round((total - done) / rate) : 0;
        return String.format("  epoch %d/%d: %d/%d images (%d%%), %.1f images/s, ETA %s", epoch, epochs, done, total,
                100 * done / Math.max(1, total), rate, format(Duration.ofSeconds(etaSeconds)));
    }

    private static String format(Duration d) {
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }
}
