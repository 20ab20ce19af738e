package dev.vgg4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes a CIFAR-10 binary folder with {@code recordsPerBatch} seeded random 32x32 images per batch, labels 0..9 in turn. */
final class TinyCifar {
    static final String[] CLASSES = {
        "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
    private static final int RECORD = 3073;

    private TinyCifar() {}

    /** Returns {@code dataDir}, which then holds {@code cifar-10-batches-bin/}. */
    static Path write(Path dataDir, int recordsPerBatch, long seed) throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("cifar-10-batches-bin"));
        Files.writeString(folder.resolve("batches.meta.txt"), String.join("\n", CLASSES) + "\n");
        SplittableRandom random = new SplittableRandom(seed);
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
            byte[] bytes = new byte[recordsPerBatch * RECORD];
            random.nextBytes(bytes);
            for (int r = 0; r < recordsPerBatch; r++) {
                bytes[r * RECORD] = (byte) (r % CLASSES.length);
            }
            Files.write(folder.resolve(name), bytes);
        }
        return dataDir;
    }
}
