package dev.vgg4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5, (byte) 250};

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] content = IdxTestFiles.idx(new int[] {3, 2}, PAYLOAD);
        for (boolean gzip : new boolean[] {false, true}) {
            IdxFile file = IdxFile.read(IdxTestFiles.write(dir.resolve("f" + gzip), content, gzip));
            assertArrayEquals(new int[] {3, 2}, file.dims());
            assertArrayEquals(PAYLOAD, file.data());
        }
    }

    @Test
    void badMagicNamesTheFileAndWhatWasExpected() throws IOException {
        byte[] content = IdxTestFiles.idx(new int[] {6}, PAYLOAD);
        content[2] = 0x0D; // float payload, not unsigned bytes
        Path file = IdxTestFiles.write(dir.resolve("floats.idx"), content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains("floats.idx") && e.getMessage().contains("0x00000d01")
                && e.getMessage().contains("unsigned bytes"), e.getMessage());
    }

    @Test
    void truncatedPayloadIsReportedWithSizes() throws IOException {
        byte[] content = IdxTestFiles.idx(new int[] {4, 2}, PAYLOAD);
        Path file = IdxTestFiles.write(dir.resolve("short.gz"), content, true);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains("short.gz") && e.getMessage().contains("data section truncated: header [4, 2] announces 8 bytes of data, the file holds 6"),
                e.getMessage());
    }

    @Test
    void aRawFileShorterThanItsHeaderAnnouncesIsRefusedBeforeReadingTheData() throws IOException {
        byte[] content = IdxTestFiles.idx(new int[] {60000, 28, 28}, PAYLOAD);
        Path file = IdxTestFiles.write(dir.resolve("raw-short"), content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertEquals(file + ": data section truncated: header [60000, 28, 28] announces 47040000 bytes of data,"
                + " the file holds 6", e.getMessage());
    }

    @Test
    void aGzipStreamCutInsideTheDataSaysTheDataIsTruncated() throws IOException {
        byte[] payload = new byte[200_000];
        new java.util.SplittableRandom(3).nextBytes(payload); // incompressible, so cutting the file cuts the data
        Path file = IdxTestFiles.write(dir.resolve("cut.gz"), IdxTestFiles.idx(new int[] {200, 1000}, payload), true);
        byte[] gz = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(gz, gz.length / 2));
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": data section truncated: header [200, 1000] announces 200000 bytes"),
                e.getMessage());
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRefused() throws IOException {
        // 65536^4 = 2^64 wraps to 0 in a long.
        byte[] content = IdxTestFiles.idx(new int[] {65536, 65536, 65536, 65536}, new byte[0]);
        Path file = IdxTestFiles.write(dir.resolve("wraps"), content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertEquals(file + ": header [65536, 65536, 65536, 65536] announces more than 2^63 - 1 bytes of data,"
                + " more than the 2147483639 one IDX payload may have (one Java array)", e.getMessage());
    }

    @Test
    void aSparseHugeFileIsRefusedFromItsSize() throws IOException {
        Path file = dir.resolve("huge-idx3-ubyte");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(3L << 30); // sparse: costs no disk
        }
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().startsWith(file + ": 3221225472 bytes, more than the"), e.getMessage());
    }

    @Test
    void aFolderInPlaceOfTheFileIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("train-images-idx3-ubyte"));
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(folder));
        assertEquals(folder + ": is a folder, expected an IDX file", e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        byte[] content = Arrays.copyOf(IdxTestFiles.idx(new int[] {4, 2}, PAYLOAD), 6);
        Path file = IdxTestFiles.write(dir.resolve("header"), content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
    }
}
