package dev.vgg4j.core.io;

import java.io.IOException;

/**
 * A file (or an entry of an archive) that a reader refuses: missing, not a regular file, not
 * readable, or larger than its format allows. The message is one line for the user as is: it
 * names the file (and the entry) and says what was expected.
 */
public class InputFileException extends IOException {
    public InputFileException(String message) {
        super(message);
    }
}
