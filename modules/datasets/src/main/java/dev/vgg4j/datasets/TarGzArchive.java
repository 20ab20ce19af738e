package dev.vgg4j.datasets;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads and extracts {@code .tar.gz} archives. Extraction refuses any entry that would land outside
 * the target folder ({@code ../x}, absolute paths) and any link, because a downloaded archive is
 * untrusted input.
 */
final class TarGzArchive {
    private TarGzArchive() {}

    /** Called once per regular file in the archive, with a stream over that file's bytes only. */
    interface FileHandler {
        void handle(String entryName, long size, InputStream content) throws IOException;
    }

    /** Visits every regular file of {@code archive} in archive order. */
    static void readFiles(Path archive, FileHandler handler) {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                if (entry.isFile()) {
                    handler.handle(entry.getName(), entry.getSize(), tar);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DatasetException(archive + ": no such file");
        } catch (IOException e) {
            throw new DatasetException(archive + ": truncated or not a valid .tar.gz archive (" + e.getMessage() + ")", e);
        }
    }

    /** Extracts every directory and regular file of {@code archive} below {@code targetDir}. */
    static void extract(Path archive, Path targetDir) {
        Path root = targetDir.toAbsolutePath().normalize();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            Files.createDirectories(root);
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root) || destination.equals(root) && !entry.isDirectory()) {
                    throw new DatasetException(archive + ": entry '" + entry.getName()
                            + "' would be written outside " + root + "; refusing to extract this archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    throw new DatasetException(archive + ": entry '" + entry.getName()
                            + "' is a link or special file; only folders and regular files are extracted");
                }
            }
        } catch (IOException e) {
            throw new DatasetException(archive + ": cannot extract into " + root + " (" + e.getMessage() + ")", e);
        }
    }
}
