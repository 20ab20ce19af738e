package dev.vgg4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
        assertTrue(e.getMessage().contains("short.gz") && e.getMessage().contains("announces 8 bytes, file holds 6"),
                e.getMessage());
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        byte[] content = Arrays.copyOf(IdxTestFiles.idx(new int[] {4, 2}, PAYLOAD), 6);
        Path file = IdxTestFiles.write(dir.resolve("header"), content, false);
        IOException e = assertThrows(IOException.class, () -> IdxFile.read(file));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
    }
}
