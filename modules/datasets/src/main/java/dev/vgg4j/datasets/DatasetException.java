package dev.vgg4j.datasets;

/**
 * A dataset on disk or on the network is missing, damaged or not what was expected. The message
 * is meant for the user as is: it names the file (or URL) and what was expected, so the CLI prints
 * it on one line without a stack trace.
 */
public class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
