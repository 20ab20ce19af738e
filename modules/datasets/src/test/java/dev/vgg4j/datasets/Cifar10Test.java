package dev.vgg4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
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
    void aTruncatedBatchIsNamedWithTheSizeItShouldHave() throws IOException {
        Path folder = fixture.writeFolder(dir);
        Path batch = folder.resolve("data_batch_3.bin");
        byte[] full = Files.readAllBytes(batch);
        Files.write(batch, Arrays.copyOf(full, full.length - 100));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().contains(batch.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + RECORDS * 3073), e.getMessage());
    }

    @Test
    void aTruncatedArchiveIsNamed() throws IOException {
        Path archive = fixture.writeArchive(dir.resolve(Cifar10.ARCHIVE));
        byte[] full = Files.readAllBytes(archive);
        Files.write(archive, Arrays.copyOf(full, full.length / 2));

        DatasetException e = assertThrows(DatasetException.class, () -> Cifar10.load(dir));

        assertTrue(e.getMessage().startsWith(archive.toString()), e.getMessage());
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
