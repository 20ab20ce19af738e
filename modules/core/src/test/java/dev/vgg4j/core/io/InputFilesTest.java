package dev.vgg4j.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsARegularFileWithinItsLimit() throws IOException {
        Path file = Files.write(dir.resolve("small.bin"), new byte[] {1, 2, 3});

        assertEquals(3, InputFiles.requireRegularFile(file, 3, "a test file"));
        assertArrayEquals(new byte[] {1, 2, 3}, InputFiles.readAllBytes(file, 3, "a test file"));
    }

    @Test
    void aSparseHugeFileIsRefusedFromItsSizeWithoutReadingIt() throws IOException {
        Path file = dir.resolve("huge.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L << 30); // sparse: costs no disk
        }

        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(file, 1 << 20, "a test file"));

        assertEquals(file + ": 3221225472 bytes, more than the 1048576 bytes a test file can have", e.getMessage());
    }

    @Test
    void aFolderIsRefusedByName() {
        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.open(dir, 100, "a test file"));

        assertEquals(dir + ": is a folder, expected a test file", e.getMessage());
    }

    @Test
    void aPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo failed; pipe not tested");

        // Opening a FIFO for reading would block this test forever: refusing it proves it was not opened.
        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(fifo, 100, "a test file"));

        assertEquals(fifo + ": is not a regular file (a device, pipe or socket), expected a test file", e.getMessage());
    }

    @Test
    void aDeviceIsRefused() {
        Path device = Path.of("/dev/zero");
        assumeTrue(Files.exists(device), "no /dev/zero on this system");

        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.readAllBytes(device, 100, "a test file"));

        assertEquals(device + ": is not a regular file (a device, pipe or socket), expected a test file", e.getMessage());
    }

    @Test
    void aMissingFileIsSaidToNotExist() {
        Path missing = dir.resolve("missing.png");

        InputFileException e = assertThrows(InputFileException.class,
                () -> InputFiles.open(missing, 100, "an image"));

        assertEquals(missing + ": does not exist", e.getMessage());
    }

    @Test
    void accessDeniedIsReportedAsPermissionDenied() {
        // Root reads every file, so the refusal itself cannot be provoked here; its wording is what is checked.
        Path file = dir.resolve("secret.bin");

        InputFileException e = InputFiles.failure(file, new AccessDeniedException(file.toString()));

        assertEquals(file + ": permission denied", e.getMessage());
    }

    @Test
    void aBoundedStreamPassesExactlyItsLimitAndFailsOnOneByteMore() throws IOException {
        try (InputStream exact = new BoundedInputStream(new ByteArrayInputStream(new byte[10]), 10, () -> "too long")) {
            assertEquals(10, exact.readAllBytes().length);
        }
        try (InputStream over = new BoundedInputStream(new ByteArrayInputStream(new byte[11]), 10, () -> "too long")) {
            InputFileException e = assertThrows(InputFileException.class, over::readAllBytes);
            assertEquals("too long", e.getMessage());
        }
    }
}
