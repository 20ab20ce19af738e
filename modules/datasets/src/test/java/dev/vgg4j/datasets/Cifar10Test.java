package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vgg4j.data.Dataset;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class Cifar10Test {
    private static final int RECORDS = 7;

    @TempDir
    Path dir;

    private final CifarFixture fixture = new CifarFixture(RECORDS, 11);

    @Test
    void readsEveryRecordOfTheExtractedFolderInBatchOrder() throws IOException {
        fixture.writeFolder(dir);

        TrainAndTest cifar = Cifar10.load(dir);

        assertEquals(5 * RECORDS, cifar.train().size());
        assertEquals(RECORDS, cifar.test().size());
        assertEquals(CifarFixture.CLASS_NAMES, cifar.train().classNames());
        assertEquals(3, cifar.train().channels());
        assertEquals(32, cifar.train().height());
        assertEquals(32, cifar.train().width());
        assertImagesMatch(cifar.train(), 3 * RECORDS + 2, "data_batch_4.bin", 2);
        assertImagesMatch(cifar.test(), RECORDS - 1, "test_batch.bin", RECORDS - 1);
    }

    @Test
    void aTrainingPartHoldsOnlyItsBatchFilesInTheGivenOrder() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Files.delete(folder.resolve("data_batch_1.bin")); // a part's reader never opens the other parts

        Dataset part = Cifar10.loadBatches(folder, List.of("data_batch_5.bin", "data_batch_2.bin"));

        assertEquals(2 * RECORDS, part.size());
        assertEquals(CifarFixture.CLASS_NAMES, part.classNames());
        assertImagesMatch(part, 1, "data_batch_5.bin", 1);
        assertImagesMatch(part, RECORDS + 3, "data_batch_2.bin", 3);
    }

    @Test
    void readsTheArchiveWithoutExtractingIt() throws IOException {
        fixture.writeArchive(dir.resolve(Cifar10.ARCHIVE));

        TrainAndTest fromArchive = Cifar10.load(dir);

        assertFalse(Files.exists(dir.resolve(Cifar10.FOLDER)));
        Dataset train = fromArchive.train();
        for (int i = 0; i < train.size(); i++) {
            assertImagesMatch(train, i, Cifar10.TRAIN_FILES.get(i / RECORDS), i % RECORDS);
        }
    }

    @Test
    void aPartialRecordIsNamedAsDamage() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("data_batch_3.bin");
        byte[] full = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(full, full.length - 100));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(batch + ": truncated or damaged: 21411 bytes is 6 whole records and 2973 bytes over;"
                + " a batch holds one or more whole records of 3073 bytes", e.getMessage());
    }

    @Test
    void batchesOfDifferentWholeRecordCountsAreASubsetAndLoad() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("data_batch_2.bin");
        Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 2 * 3073));

        TrainAndTest cifar = Cifar10.load(dir);

        assertEquals(4 * RECORDS + 2, cifar.train().size());
        assertImagesMatch(cifar.train(), RECORDS + 1, "data_batch_2.bin", 1);
        assertImagesMatch(cifar.train(), RECORDS + 2, "data_batch_3.bin", 0);
    }

    @Test
    void aSparseHugeBatchIsNamedAndRefusedUnread() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("data_batch_2.bin");
        try (RandomAccessFile sparse = new RandomAccessFile(batch.toFile(), "rw")) {
            sparse.setLength(2_600_000_000L); // sparse: costs no disk
        }

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(batch + ": 2600000000 bytes, more than the 30730000 bytes a CIFAR-10 batch"
                + " (at most 10000 records of 3073 bytes) can have", e.getMessage());
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // on failure the read blocks on the pipe
    void aPipeInPlaceOfABatchIsRefusedWithoutOpeningIt() throws Exception {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("test_batch.bin");
        Files.delete(batch);
        assumeTrue(new ProcessBuilder("mkfifo", batch.toString()).start().waitFor() == 0, "mkfifo failed; pipe not tested");

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(batch + ": is not a regular file (a device, pipe or socket), expected a CIFAR-10 batch"
                + " (at most 10000 records of 3073 bytes)", e.getMessage());
    }

    @Test
    void aFolderInPlaceOfABatchIsNamed() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("data_batch_1.bin"); // the file that tells the folder is there
        Files.delete(batch);
        Files.createDirectory(batch);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().startsWith(batch + ": is a folder, expected a CIFAR-10 batch"), e.getMessage());
    }

    @Test
    void aTruncatedArchiveSaysSo() throws IOException {
        Path archive = fixture.writeArchive(dir.resolve(Cifar10.ARCHIVE));
        byte[] full = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(full, full.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().startsWith(archive + ": truncated"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void aLinkEntryInTheArchiveIsRefusedNotReadAsAnEmptyFile() throws IOException {
        String entry = Cifar10.FOLDER + "/data_batch_1.bin";
        Path archive = fixture.writeArchiveWithLink(dir.resolve(Cifar10.ARCHIVE), entry);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(archive + ": entry '" + entry + "' is a link or special file;"
                + " only folders and regular files are read from an archive", e.getMessage());
    }

    @Test
    void anArchiveEntryClaimingGigabytesIsRefusedByItsDeclaredSize() throws IOException {
        String entry = Cifar10.FOLDER + "/data_batch_1.bin";
        Path archive = CifarFixture.writeBomb(dir.resolve(Cifar10.ARCHIVE), entry, 4);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(archive + ": entry '" + entry + "' is 4294967296 bytes, more than the 30730000 bytes"
                + " a CIFAR-10 batch (at most 10000 records of 3073 bytes) can have", e.getMessage());
    }

    @Test
    void aDecompressionBombInAnyEntryStopsAtTheArchiveLimitNamingTheEntry() throws IOException {
        String entry = Cifar10.FOLDER + "/readme.html";
        Path archive = CifarFixture.writeBomb(dir.resolve(Cifar10.ARCHIVE), entry, 4);
        assertTrue(Files.size(archive) < (8 << 20), "the bomb is small: " + Files.size(archive));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertEquals(archive + ": entry '" + entry + "' inflates the archive beyond the " + Cifar10.MAX_ARCHIVE_BYTES
                + " bytes a CIFAR-10 archive can hold (a damaged archive or a decompression bomb)", e.getMessage());
    }

    @Test
    void aLabelOutOfRangeNamesTheFileAndRecord() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("test_batch.bin");
        byte[] bytes = Files.readAllBytes(batch);
        bytes[2 * 3073] = 10;
        Files.write(batch, bytes);

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().contains(batch + ": record 2 has label 10, expected 0..9"), e.getMessage());
    }

    @Test
    void aMissingBatchIsNamed() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Files.delete(folder.resolve("test_batch.bin"));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().startsWith(folder.resolve("test_batch.bin") + ": missing"), e.getMessage());
    }

    @Test
    void anEmptyDataDirSaysHowToGetTheData() {
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertFalse(Cifar10.isPresent(dir));
        assertTrue(e.getMessage().contains("--download"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    private void assertImagesMatch(Dataset set, int index, String batch, int record) {
        assertEquals(fixture.label(batch, record), set.label(index), "label of image " + index);
        byte[] image = new byte[set.imageBytes()];
        set.copyImage(index, image, 0);
        for (int p = 0; p < image.length; p++) {
            if (image[p] != fixture.pixel(batch, record, p)) {
                throw new AssertionError("image " + index + " pixel " + p + " differs from " + batch + " record " + record);
            }
        }
    }
}
