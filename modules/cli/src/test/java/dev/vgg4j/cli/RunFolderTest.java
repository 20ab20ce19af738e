package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.train.EpochRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run folder never loses a run: new or empty, continued with --resume, replaced only on request, locked while used. */
class RunFolderTest {
    @TempDir
    Path dir;

    @Test
    void aFolderHoldingAnEarlierRunIsRefusedAndLeftAlone() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve(RunFolder.METRICS), "the earlier run's metrics\n");

        CliRun train = train(run);

        assertBadInput(train, "--out: the run folder " + run + " is not empty (it holds metrics.csv); continue its run"
                + " with --resume " + run.resolve(RunFolder.LAST) + ", replace it with --overwrite");
        assertEquals("the earlier run's metrics\n", Files.readString(run.resolve(RunFolder.METRICS)));
    }

    @Test
    void overwriteReplacesTheEarlierRunsFilesOnly() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve(RunFolder.METRICS), "the earlier run's metrics\n");
        Files.writeString(run.resolve(RunFolder.BEST), "the earlier run's best checkpoint");
        Files.writeString(run.resolve("notes.txt"), "mine");

        CliRun train = train(run, "--overwrite");

        assertEquals(0, train.exitCode(), train.err());
        assertEquals(EpochRow.CSV_HEADER, Files.readAllLines(run.resolve(RunFolder.METRICS)).getFirst());
        assertFalse(Files.readString(run.resolve(RunFolder.RUN_JSON)).isEmpty());
        assertEquals("mine", Files.readString(run.resolve("notes.txt")));
    }

    @Test
    void aFolderInUseIsRefusedAtOnceNamingTheHolder() throws IOException {
        Path run = dir.resolve("run");
        try (RunFolderLock held = RunFolderLock.claim(run, null, false)) {
            CliRun train = train(run);

            assertBadInput(train, "--out: the run folder " + run + " is in use by another run (pid "
                    + ProcessHandle.current().pid() + " on ");
            assertTrue(train.err().contains(", started 20"), train.err());
        }
        assertEquals(0, train(run).exitCode(), "free again once the holder is done");
    }

    @Test
    void anEmptyOutIsRefused() {
        assertBadInput(CliRun.of("train", "--out", ""), "--out: expected a folder, got an empty name");
    }

    @Test
    void anOutBelowAFileSaysWhy() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");

        assertBadInput(train(file.resolve("run")), "--out: cannot create the run folder " + file.resolve("run") + ": ");
        assertBadInput(train(file), "--out: cannot create the run folder " + file + ": " + file + " exists and is not a folder");
    }

    @Test
    void defaultFoldersStartedInTheSameSecondNeverCollide() throws Exception {
        int runs = 8;
        List<RunFolderLock> claimed = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(runs)) {
            List<Callable<RunFolderLock>> claims = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                claims.add(() -> RunFolderLock.claimNew(dir));
            }
            for (Future<RunFolderLock> f : pool.invokeAll(claims)) {
                claimed.add(f.get());
            }
        }
        Set<Path> folders = claimed.stream().map(RunFolderLock::dir).collect(Collectors.toSet());
        assertEquals(runs, folders.size(), "distinct folders: " + folders);
        assertTrue(folders.stream().allMatch(f -> f.getFileName().toString().matches("\\d{8}-\\d{6}(-\\d+)?")), folders::toString);
        claimed.forEach(RunFolderLock::close);
        assertTrue(folders.stream().noneMatch(Files::exists), "folders a run made and left empty are removed");
    }

    @Test
    void resumingInTheRunsOwnFolderClearsStaleTemporaryFiles() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path checkpoint = Files.writeString(run.resolve(RunFolder.LAST), "checkpoint");
        Files.writeString(run.resolve(RunFolder.CURVES + ".tmp"), "half a chart, left by kill -9");

        try (RunFolderLock held = RunFolderLock.claim(null, checkpoint, false)) {
            assertEquals(run.toAbsolutePath(), held.dir());
            assertFalse(Files.exists(run.resolve(RunFolder.CURVES + ".tmp")));
            assertTrue(Files.exists(checkpoint), "the run being continued keeps its files");
        }
    }

    private CliRun train(Path out, String... more) throws IOException {
        Path data = TinyCifar.write(dir.resolve("data"), 2, 1);
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "cifar10", "--data-dir", data.toString(),
                "--model", "vgg11_bn", "--width", "0.125", "--image-size", "32", "--epochs", "1", "--batch-size", "4",
                "--threads", "1", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertBadInput(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals(1, run.errLines(), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
    }
}
