package dev.vgg4j.datasets;

import dev.vgg4j.core.io.BoundedInputStream;
import dev.vgg4j.core.io.InputFileException;
import dev.vgg4j.core.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads and extracts {@code .tar.gz} archives, which are untrusted input: an archive larger than
 * its caller allows, or one that inflates beyond that (a decompression bomb), is refused naming the
 * entry being inflated; so is any link or special entry (a link read as a file would read as empty,
 * or write through to elsewhere), and extraction refuses any entry that would land outside the
 * target folder ({@code ../x}, absolute paths).
 */
final class TarGzArchive {
    private TarGzArchive() {}

    /** Called once per regular file in the archive, with a stream over that file's bytes only. */
    interface FileHandler {
        void handle(String entryName, long size, InputStream content) throws IOException;
    }

    private interface EntryHandler {
        void handle(TarArchiveEntry entry, InputStream content) throws IOException;
    }

    /**
     * Visits every regular file of {@code archive} in archive order.
     *
     * @param maxBytes the most bytes the archive may have, compressed and inflated
     * @param what what the archive should be, for messages, e.g. {@code "a CIFAR-10 archive"}
     */
    static void readFiles(Path archive, long maxBytes, String what, FileHandler handler) {
        forEachEntry(archive, maxBytes, what, (entry, content) -> {
            if (!entry.isDirectory()) {
                handler.handle(entry.getName(), entry.getSize(), content);
            }
        });
    }

    /** Extracts every folder and regular file of {@code archive} (at most {@code maxBytes}) below {@code targetDir}. */
    static void extract(Path archive, long maxBytes, String what, Path targetDir) {
        Path root = targetDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new DatasetException(root + ": cannot create the folder to extract " + archive + " into ("
                    + e.getMessage() + ")", e);
        }
        forEachEntry(archive, maxBytes, what, (entry, content) -> {
            Path destination = root.resolve(entry.getName()).normalize();
            if (!destination.startsWith(root) || destination.equals(root) && !entry.isDirectory()) {
                throw new DatasetException(archive + ": entry '" + entry.getName()
                        + "' would be written outside " + root + "; refusing to extract this archive");
            }
            try {
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(content, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new DatasetException(archive + ": cannot extract entry '" + entry.getName() + "' into " + root
                        + " (" + e.getMessage() + ")", e);
            }
        });
    }

    private static void forEachEntry(Path archive, long maxBytes, String what, EntryHandler handler) {
        String[] current = {null};
        try (InputStream file = new BufferedInputStream(InputFiles.open(archive, maxBytes, what), 1 << 16);
             InputStream inflated = new BoundedInputStream(new GzipCompressorInputStream(file), maxBytes,
                     () -> archive + ": entry '" + current[0] + "' inflates the archive beyond the " + maxBytes
                             + " bytes " + what + " can hold (a damaged archive or a decompression bomb)");
             TarArchiveInputStream tar = new TarArchiveInputStream(inflated)) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                current[0] = entry.getName();
                if (!entry.isDirectory() && !isRegularFile(entry)) {
                    throw new DatasetException(archive + ": entry '" + entry.getName()
                            + "' is a link or special file; only folders and regular files are read from an archive");
                }
                handler.handle(entry, tar);
            }
        } catch (IOException e) {
            throw new DatasetException(describe(archive, current[0], e), e);
        }
    }

    /**
     * Commons-compress calls a link a file ({@code isFile()} is true for a symbolic link), so a
     * regular file is what is neither a folder nor any kind of link or device.
     */
    private static boolean isRegularFile(TarArchiveEntry entry) {
        return entry.isFile() && !entry.isLink() && !entry.isSymbolicLink() && !entry.isCharacterDevice()
                && !entry.isBlockDevice() && !entry.isFIFO();
    }

    private static String describe(Path archive, String entry, IOException e) {
        if (e instanceof InputFileException) {
            return e.getMessage();
        }
        String where = entry == null ? "" : " inside entry '" + entry + "'";
        if (e instanceof EOFException || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("truncated")) {
            return archive + ": truncated (the data stops" + (entry == null ? " before the first entry" : where)
                    + "); download it again";
        }
        return archive + ": not a valid .tar.gz archive" + where + " ("
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
    }
}
