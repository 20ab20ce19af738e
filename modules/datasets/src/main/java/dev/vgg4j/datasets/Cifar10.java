package dev.vgg4j.datasets;

import dev.vgg4j.core.io.InputFiles;
import dev.vgg4j.data.Dataset;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 in its binary distribution: {@code cifar-10-batches-bin/} with {@code data_batch_1.bin}
 * .. {@code data_batch_5.bin}, {@code test_batch.bin} and {@code batches.meta.txt}. Each batch is a
 * run of 3073-byte records: the label byte, then 1024 red, 1024 green and 1024 blue bytes of a
 * 32x32 image, which is already the {@code [C, H, W]} planar order of {@link Dataset}.
 *
 * <p>Read from the extracted folder or straight from {@code cifar-10-binary.tar.gz}.
 */
public final class Cifar10 {
    public static final String FOLDER = "cifar-10-batches-bin";
    public static final String ARCHIVE = "cifar-10-binary.tar.gz";
    /** The official archive and its published MD5. */
    public static final DownloadSource OFFICIAL = new DownloadSource(
            URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
            "c32a1d4ab5d03f1284b67883e8d87530");

    static final int CHANNELS = 3;
    static final int SIDE = 32;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final int CLASSES = 10;
    static final List<String> TRAIN_FILES = List.of(
            "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    public static final String TEST_FILE = "test_batch.bin";
    static final String META_FILE = "batches.meta.txt";
    /** The official batches hold 10,000 records each; a larger file is not a CIFAR-10 batch. */
    static final int MAX_RECORDS_PER_BATCH = 10_000;
    static final long MAX_BATCH_BYTES = (long) MAX_RECORDS_PER_BATCH * RECORD_BYTES;
    /** Ten class names, one a line (the official file is 61 bytes). */
    static final long MAX_META_BYTES = 64 << 10;
    /** Six batches and the class names, with room for tar headers and a readme. */
    static final long MAX_ARCHIVE_BYTES = (TRAIN_FILES.size() + 1) * MAX_BATCH_BYTES + (16 << 20);
    private static final String ARCHIVE_WHAT = "a CIFAR-10 archive";

    private Cifar10() {}

    /** Whether {@link #load} would find CIFAR-10 in {@code dataDir} (it may still be damaged). */
    public static boolean isPresent(Path dataDir) {
        return Files.exists(dataDir.resolve(ARCHIVE)) || batchFolder(dataDir) != null;
    }

    /**
     * Loads CIFAR-10 from {@code dataDir}: the folder {@code dataDir/cifar-10-batches-bin}, or
     * {@code dataDir} itself when it holds the batch files, else the archive
     * {@code dataDir/cifar-10-binary.tar.gz}.
     */
    public static TrainAndTest load(Path dataDir) {
        Path folder = batchFolder(dataDir);
        if (folder != null) {
            return loadFolder(folder);
        }
        Path archive = dataDir.resolve(ARCHIVE);
        if (Files.exists(archive)) {
            return loadArchive(archive);
        }
        throw new DatasetException("CIFAR-10 not found in " + dataDir + ": expected the folder " + FOLDER
                + "/ or the archive " + ARCHIVE + " (download it with --download, or from "
                + OFFICIAL.url() + ")");
    }

    /** Downloads (unless a verified copy is cached) and extracts CIFAR-10 into {@code dataDir}, then loads it. */
    public static TrainAndTest download(Path dataDir, DownloadSource source, Downloader downloader) {
        Path archive = downloader.download(source, dataDir.resolve(ARCHIVE));
        TarGzArchive.extract(archive, MAX_ARCHIVE_BYTES, ARCHIVE_WHAT, dataDir);
        return loadFolder(dataDir.resolve(FOLDER));
    }

    /** Loads the extracted batch files in {@code folder}, checking each one's kind and size before reading it. */
    public static TrainAndTest loadFolder(Path folder) {
        return decode(folder, readFiles(folder, allFiles()));
    }

    /**
     * The images of some of the batch files in {@code folder} ({@code batchFiles}, e.g.
     * {@code data_batch_2.bin}, in that order): a part of the set, for a reader that must not hold
     * all of it (a data-parallel worker reading its own part).
     */
    public static Dataset loadBatches(Path folder, List<String> batchFiles) {
        List<String> names = new ArrayList<>(batchFiles);
        names.add(META_FILE);
        Map<String, byte[]> files = readFiles(folder, names);
        return decodeRecords("cifar10:" + String.join("+", batchFiles), folder, batchFiles, files,
                classNames(folder.resolve(META_FILE), files.get(META_FILE)));
    }

    /** The extracted batch files' folder in {@code dataDir} ({@link #load}'s places, not the archive). */
    public static Path extractedFolder(Path dataDir) {
        Path folder = batchFolder(dataDir);
        if (folder == null) {
            throw new DatasetException("CIFAR-10 batch files not found in " + dataDir + ": expected the folder " + FOLDER
                    + "/ (extracted from " + ARCHIVE + ") or the batch files themselves");
        }
        return folder;
    }

    private static Map<String, byte[]> readFiles(Path folder, List<String> names) {
        Map<String, byte[]> files = new HashMap<>();
        for (String name : names) {
            Path file = folder.resolve(name);
            if (Files.notExists(file)) {
                throw new DatasetException(file + ": missing; a CIFAR-10 binary folder holds "
                        + String.join(", ", allFiles()));
            }
            try {
                long size = InputFiles.requireRegularFile(file, maxBytes(name), what(name));
                requireWholeRecords(file.toString(), name, size);
                files.put(name, InputFiles.readAllBytes(file, maxBytes(name), what(name)));
            } catch (IOException e) {
                throw new DatasetException(InputFiles.failure(file, e).getMessage(), e);
            }
        }
        return files;
    }

    /** Loads the batch files straight out of {@code cifar-10-binary.tar.gz}, without extracting it. */
    public static TrainAndTest loadArchive(Path archive) {
        List<String> wanted = allFiles();
        Map<String, byte[]> files = new HashMap<>();
        TarGzArchive.readFiles(archive, MAX_ARCHIVE_BYTES, ARCHIVE_WHAT, (entryName, size, content) -> {
            String base = entryName.substring(entryName.lastIndexOf('/') + 1);
            if (wanted.contains(base)) {
                String entry = archive + ": entry '" + entryName + "'";
                if (size > maxBytes(base)) {
                    throw new DatasetException(entry + " is " + size + " bytes, more than the " + maxBytes(base)
                            + " bytes " + what(base) + " can have");
                }
                requireWholeRecords(entry, base, size);
                files.put(base, content.readAllBytes());
            }
        });
        for (String name : wanted) {
            if (!files.containsKey(name)) {
                throw new DatasetException(archive + ": has no entry " + FOLDER + "/" + name
                        + "; a CIFAR-10 binary archive holds " + String.join(", ", wanted));
            }
        }
        return decode(archive, files);
    }

    private static Path batchFolder(Path dataDir) {
        for (Path candidate : List.of(dataDir.resolve(FOLDER), dataDir)) {
            if (Files.exists(candidate.resolve(TRAIN_FILES.getFirst()))) {
                return candidate;
            }
        }
        return null;
    }

    private static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        all.add(META_FILE);
        return all;
    }

    private static long maxBytes(String name) {
        return name.equals(META_FILE) ? MAX_META_BYTES : MAX_BATCH_BYTES;
    }

    private static String what(String name) {
        return name.equals(META_FILE) ? "a CIFAR-10 class-name file" : "a CIFAR-10 batch (at most " + MAX_RECORDS_PER_BATCH
                + " records of " + RECORD_BYTES + " bytes)";
    }

    /**
     * A batch holds any positive whole number of records (subsets of the official 10,000 are
     * common); only a partial record is damage. {@code where} names the file or archive entry.
     */
    private static void requireWholeRecords(String where, String name, long size) {
        if (name.equals(META_FILE)) {
            return;
        }
        if (size == 0 || size % RECORD_BYTES != 0) {
            throw new DatasetException(where + ": truncated or damaged: " + size + " bytes is " + size / RECORD_BYTES
                    + " whole records and " + size % RECORD_BYTES + " bytes over; a batch holds one or more whole records of "
                    + RECORD_BYTES + " bytes");
        }
    }

    private static TrainAndTest decode(Path where, Map<String, byte[]> files) {
        List<String> classNames = classNames(where.resolve(META_FILE), files.get(META_FILE));
        Dataset train = decodeRecords("cifar10-train", where, TRAIN_FILES, files, classNames);
        Dataset test = decodeRecords("cifar10-test", where, List.of(TEST_FILE), files, classNames);
        return new TrainAndTest(train, test);
    }

    private static Dataset decodeRecords(String name, Path where, List<String> batchNames,
                                         Map<String, byte[]> files, List<String> classNames) {
        int images = 0;
        for (String batch : batchNames) {
            images += files.get(batch).length / RECORD_BYTES;
        }
        byte[] pixels = new byte[images * IMAGE_BYTES];
        int[] labels = new int[images];
        int image = 0;
        for (String batch : batchNames) {
            byte[] bytes = files.get(batch);
            for (int record = 0; record < bytes.length / RECORD_BYTES; record++, image++) {
                int offset = record * RECORD_BYTES;
                int label = bytes[offset] & 0xFF;
                if (label >= classNames.size()) {
                    throw new DatasetException(where.resolve(batch) + ": record " + record + " has label " + label
                            + ", expected 0.." + (classNames.size() - 1));
                }
                labels[image] = label;
                System.arraycopy(bytes, offset + 1, pixels, image * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new Dataset(name, pixels, labels, CHANNELS, SIDE, SIDE, classNames);
    }

    private static List<String> classNames(Path file, byte[] meta) {
        List<String> names = new String(meta, StandardCharsets.UTF_8).lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        if (names.size() != CLASSES) {
            throw new DatasetException(file + ": " + names.size() + " class names, expected " + CLASSES
                    + " (one per line)");
        }
        return names;
    }
}
