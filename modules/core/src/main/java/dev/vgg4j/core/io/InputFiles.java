package dev.vgg4j.core.io;

import dev.vgg4j.core.Sizes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The checks every reader of a user's file makes before reading it: the path names a regular file
 * (a folder, device, pipe or socket is refused from its attributes, never opened, so a pipe cannot
 * block the reader), the file is no larger than its format allows, and what is read stays within
 * that bound even if the file grows. Failures are {@link InputFileException}s whose one-line
 * message names the file and says what was expected.
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * The size of {@code file} once it is known to be a regular file of at most {@code maxBytes}.
     *
     * @param what what the file should be, for messages, e.g. {@code "a CIFAR-10 batch file"}
     */
    public static long requireRegularFile(Path file, long maxBytes, String what) throws InputFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw failure(file, e);
        }
        if (attributes.isDirectory()) {
            throw new InputFileException(file + ": is a folder, expected " + what);
        }
        if (!attributes.isRegularFile()) {
            throw new InputFileException(file + ": is not a regular file (a device, pipe or socket), expected " + what);
        }
        if (attributes.size() > maxBytes) {
            throw new InputFileException(file + ": " + attributes.size() + " bytes, more than the " + maxBytes
                    + " bytes " + what + " can have");
        }
        return attributes.size();
    }

    /** Opens {@code file} after {@link #requireRegularFile}; the stream fails if it yields more than {@code maxBytes}. */
    public static InputStream open(Path file, long maxBytes, String what) throws InputFileException {
        requireRegularFile(file, maxBytes, what);
        try {
            return new BoundedInputStream(Files.newInputStream(file), maxBytes,
                    () -> file + ": grew beyond the " + maxBytes + " bytes " + what + " can have while it was read");
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** Opens {@code file} for random access after {@link #requireRegularFile}. */
    public static FileChannel openChannel(Path file, long maxBytes, String what) throws InputFileException {
        requireRegularFile(file, maxBytes, what);
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** All bytes of {@code file}, which must be a regular file of at most {@code maxBytes}. */
    public static byte[] readAllBytes(Path file, long maxBytes, String what) throws IOException {
        if (maxBytes > Sizes.MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("a byte array holds at most 2^31 - 9 bytes, not " + maxBytes);
        }
        try (InputStream in = open(file, maxBytes, what)) {
            return in.readAllBytes();
        } catch (InputFileException e) {
            throw e;
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    /** {@link #readAllBytes} as UTF-8 text. */
    public static String readString(Path file, long maxBytes, String what) throws IOException {
        return new String(readAllBytes(file, maxBytes, what), StandardCharsets.UTF_8);
    }

    /**
     * {@code e}, thrown while opening or reading {@code file}, as one line that says what went
     * wrong in words: "does not exist" and "permission denied" rather than a bare path.
     */
    public static InputFileException failure(Path file, IOException e) {
        if (e instanceof InputFileException known) {
            return known;
        }
        String why = switch (e) {
            case NoSuchFileException missing -> "does not exist";
            case AccessDeniedException denied -> "permission denied";
            default -> "cannot read (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        };
        InputFileException wrapped = new InputFileException(file + ": " + why);
        wrapped.initCause(e);
        return wrapped;
    }
}
