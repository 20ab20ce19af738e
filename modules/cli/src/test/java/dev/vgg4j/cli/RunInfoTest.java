package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunInfoTest {
    @TempDir
    Path dir;

    @Test
    void noRunJsonBesideTheCheckpointIsNoRunInfo() {
        assertTrue(RunInfo.besideCheckpoint(dir.resolve("checkpoint-last.safetensors")).isEmpty());
    }

    @Test
    void aHugeRunJsonIsRefusedFromItsSizeBeforeItIsRead() throws IOException {
        Path runJson = dir.resolve(RunFolder.RUN_JSON);
        try (RandomAccessFile sparse = new RandomAccessFile(runJson.toFile(), "rw")) {
            sparse.setLength(3L << 30); // sparse: costs no disk
        }

        BadInputException e = assertThrows(BadInputException.class,
                () -> RunInfo.besideCheckpoint(dir.resolve("checkpoint-last.safetensors")));

        assertTrue(e.getMessage().startsWith(runJson + ": not a vgg4j run.json (a regular file of at most 1048576 bytes)"),
                e.getMessage());
    }

    @Test
    void aFolderCalledRunJsonIsNamedNotIgnored() throws IOException {
        Path runJson = Files.createDirectory(dir.resolve(RunFolder.RUN_JSON));

        BadInputException e = assertThrows(BadInputException.class,
                () -> RunInfo.besideCheckpoint(dir.resolve("checkpoint-last.safetensors")));

        assertTrue(e.getMessage().startsWith(runJson + ": not a vgg4j run.json"), e.getMessage());
    }
}
