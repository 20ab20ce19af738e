package dev.vgg4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writing what a run produces (a checkpoint, metrics, a chart) failed: a full disk, a lost mount, an
 * I/O error. This is the environment failing, not bad input, and the command line reports it as such.
 */
public final class RunOutputException extends UncheckedIOException {
    public RunOutputException(String message, IOException cause) {
        super(message, cause);
    }
}
