package dev.vgg4j.cli;

import dev.vgg4j.datasets.Downloader;
import java.io.PrintWriter;

/** Download progress as a line every 5%: megabytes so far, of the total when the server says it. */
final class DownloadProgress implements Downloader.Progress {
    private static final int STEPS = 20;
    private final PrintWriter out;
    private int stepsShown;

    DownloadProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void update(long doneBytes, long totalBytes) {
        if (totalBytes <= 0) {
            return;
        }
        int step = (int) (doneBytes * STEPS / totalBytes);
        if (step > stepsShown) {
            stepsShown = step;
            out.printf("  %5.1f / %.1f MB (%d%%)%n", doneBytes / 1e6, totalBytes / 1e6, 100 * doneBytes / totalBytes);
        }
    }
}
