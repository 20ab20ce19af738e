package dev.vgg4j.cli;

import java.io.PrintWriter;

/**
 * Shows how far an epoch is, with images/s and an ETA: a live bar on a terminal, a plain line
 * every tenth of the epoch otherwise (logs, pipes, CI), so redirected output stays readable.
 */
interface EpochProgress {
    /** An epoch of {@code totalImages} images begins. */
    void start(int epoch, int epochs, long totalImages);

    /** {@code images} more images were trained on. */
    void advance(long images);

    /** The epoch's training pass is over (validation follows). */
    void finish();

    static EpochProgress forConsole(PrintWriter out) {
        boolean terminal = System.console() != null && System.console().isTerminal();
        return terminal ? new TerminalProgress() : new PlainProgress(out);
    }
}
