package dev.vgg4j.datasets;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small CIFAR-10-format files written by tests: {@code recordsPerBatch} seeded random records per batch. */
final class CifarFixture {
    static final List<String> CLASS_NAMES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    final int recordsPerBatch;
    /** File name (e.g. {@code data_batch_1.bin}) to content, in the official archive's order. */
    final Map<String, byte[]> files = new LinkedHashMap<>();

    CifarFixture(int recordsPerBatch, long seed) {
        this.recordsPerBatch = recordsPerBatch;
        SplittableRandom random = new SplittableRandom(seed);
        files.put(Cifar10.META_FILE, (String.join("\n", CLASS_NAMES) + "\n\n").getBytes(StandardCharsets.UTF_8));
        for (String batch : Cifar10.TRAIN_FILES) {
            files.put(batch, batch(random));
        }
        files.put(Cifar10.TEST_FILE, batch(random));
    }

    private byte[] batch(SplittableRandom random) {
        byte[] bytes = new byte[recordsPerBatch * Cifar10.RECORD_BYTES];
        random.nextBytes(bytes);
        for (int r = 0; r < recordsPerBatch; r++) {
            bytes[r * Cifar10.RECORD_BYTES] = (byte) random.nextInt(Cifar10.CLASSES);
        }
        return bytes;
    }

    int label(String batch, int record) {
        return files.get(batch)[record * Cifar10.RECORD_BYTES];
    }

    /** Pixel {@code index} ({@code [C, H, W]} order) of a record. */
    byte pixel(String batch, int record, int index) {
        return files.get(batch)[record * Cifar10.RECORD_BYTES + 1 + index];
    }

    /** Writes {@code dir/cifar-10-batches-bin/*} and returns that folder. */
    Path writeFolder(Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(Cifar10.FOLDER));
        for (var file : files.entrySet()) {
            Files.write(folder.resolve(file.getKey()), file.getValue());
        }
        return folder;
    }

    /** Writes {@code cifar-10-binary.tar.gz} laid out as the official one. */
    Path writeArchive(Path archive) throws IOException {
        Files.createDirectories(archive.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            tar.putArchiveEntry(new TarArchiveEntry(Cifar10.FOLDER + "/"));
            tar.closeArchiveEntry();
            for (var file : files.entrySet()) {
                addFile(tar, Cifar10.FOLDER + "/" + file.getKey(), file.getValue());
            }
        }
        return archive;
    }

    /** An archive with a single entry named {@code entryName}, e.g. one that climbs out with {@code ../}. */
    static Path writeArchiveWithEntry(Path archive, String entryName, byte[] content) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            addFile(tar, entryName, content);
        }
        return archive;
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
