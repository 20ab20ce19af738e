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
import java.util.zip.Deflater;
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

    /** The official archive with {@code entryName} replaced by a symbolic link to {@code /etc/passwd}. */
    Path writeArchiveWithLink(Path archive, String entryName) throws IOException {
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (var file : files.entrySet()) {
                String name = Cifar10.FOLDER + "/" + file.getKey();
                if (name.equals(entryName)) {
                    TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName("/etc/passwd");
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else {
                    addFile(tar, name, file.getValue());
                }
            }
        }
        return archive;
    }

    /**
     * A decompression bomb: a few MB of gzip whose single tar entry {@code entryName} claims
     * {@code gib} GiB of zeros and inflates to them. Written streaming: one MiB of zeros is
     * deflated once after a full flush (which resets the compressor, so every such MiB deflates to
     * the same bytes), and those bytes are repeated. The stream has no end: a reader must give up
     * long before it would reach one.
     */
    static Path writeBomb(Path archive, String entryName, int gib) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(entryName, true);
        entry.setSize((long) gib << 30);
        byte[] header = new byte[512];
        entry.writeEntryHeader(header);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(archive))) {
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}); // gzip member header, raw deflate follows
            out.write(deflateFlushed(deflater, header));
            byte[] zeros = new byte[1 << 20];
            out.write(deflateFlushed(deflater, zeros));
            byte[] repeatedMiB = deflateFlushed(deflater, zeros);
            for (long mib = 2; mib <= (long) gib << 10; mib++) {
                out.write(repeatedMiB);
            }
        } finally {
            deflater.end();
        }
        return archive;
    }

    private static byte[] deflateFlushed(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.FULL_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
        return out.toByteArray();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
