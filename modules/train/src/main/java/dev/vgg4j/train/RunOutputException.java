package dev.vgg4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Writing what a run produces (a checkpoint, metrics, a chart) failed: a full disk, a lost mount, an
 * I/O error. This is the environment failing, not bad input, and the command line reports it as such.
 */
public final class RunOutputException extends UncheckedIOException {
    public RunOutputException(String message, IOException cause) {
        super(message, cause);
    }

    /** "{@code what} failed: " and why, e.g. "permission denied (/runs/a/run.json.tmp)". */
    public static RunOutputException failed(String what, IOException e) {
        return new RunOutputException(what + " failed: " + reason(e), e);
    }

    /** Why a file operation failed, in words (the exception's own message is often only the path). */
    public static String reason(IOException e) {
        String detail = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof AccessDeniedException) {
            return "permission denied (" + detail + ")";
        }
        if (e instanceof FileAlreadyExistsException) {
            return detail + " exists and is not a folder";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder (" + detail + ")";
        }
        if (e instanceof NotDirectoryException) {
            return detail + " is not a folder";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        return detail.isEmpty() ? e.getClass().getSimpleName() : detail;
    }
}
