package dev.vgg4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file whole: the content is written to a temporary sibling, then renamed over the
 * file, so a reader (or a run interrupted mid-write) sees the old file or the new one, never half.
 * The temporary file has a fixed name ({@code <name>.tmp}): a failed write deletes it, and one that
 * a killed process left is overwritten by the next write (the CLI's run folder also clears it when
 * a run takes the folder).
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the new content to the temporary path it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temp) throws IOException;
    }

    public static void replace(Path file, Content content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            content.writeTo(temp);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public static void replace(Path file, String text) throws IOException {
        replace(file, temp -> Files.writeString(temp, text));
    }
}
