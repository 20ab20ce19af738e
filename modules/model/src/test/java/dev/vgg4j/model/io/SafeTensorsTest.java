package dev.vgg4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static final TensorEntry WEIGHT = TensorEntry.f32("features.0.weight", new int[] {2, 1, 1, 3},
            new float[] {1.5f, -2f, 0f, Float.MIN_VALUE, -0f, 3.25e7f});
    private static final TensorEntry COUNTER = TensorEntry.i64("features.1.num_batches_tracked", new int[0],
            new long[] {Long.MAX_VALUE - 3});

    private Path writeSample() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("trainer.state", "{\"epoch\": 3, \"note\": \"quotes \\\" and\nnewlines\"}");
        meta.put("unicode", "é ✓");
        SafeTensors.write(file, List.of(WEIGHT, COUNTER), meta);
        return file;
    }

    @Test
    void roundTripKeepsValuesShapesOrderAndMetadata() throws IOException {
        SafeTensorsFile f = SafeTensors.read(writeSample());
        assertEquals(List.of("features.0.weight", "features.1.num_batches_tracked"), List.copyOf(f.tensors().keySet()));
        TensorEntry w = f.tensor("features.0.weight");
        assertEquals(DType.F32, w.dtype());
        assertArrayEquals(new int[] {2, 1, 1, 3}, w.shape());
        assertArrayEquals(WEIGHT.floats(), w.floats());
        TensorEntry n = f.tensor("features.1.num_batches_tracked");
        assertEquals(DType.I64, n.dtype());
        assertArrayEquals(new int[0], n.shape());
        assertEquals(Long.MAX_VALUE - 3, n.scalarLong("test"));
        assertEquals("{\"epoch\": 3, \"note\": \"quotes \\\" and\nnewlines\"}", f.metadata("trainer.state"));
        assertEquals("é ✓", f.metadata("unicode"));
        assertFalse(f.metadata().containsKey(SafeTensors.CHECKSUM_KEY), "the checksum is verified, not returned");
    }

    @Test
    void layoutFollowsTheSafetensorsSpec() throws IOException {
        byte[] bytes = Files.readAllBytes(writeSample());
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{"), header);
        assertTrue(header.contains("\"features.0.weight\":{\"dtype\":\"F32\",\"shape\":[2,1,1,3],\"data_offsets\":[0,24]}"),
                header);
        assertTrue(header.contains("\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]"), header);
        assertEquals(8 + headerLength + 32, bytes.length);
        // Raw little-endian float32 data right after the header.
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + headerLength), 24).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, data.getFloat());
        assertEquals(-2f, data.getFloat());
    }

    /** A file written by hand as another tool (e.g. PyTorch's safetensors) would: no vgg4j checksum. */
    @Test
    void readsAFileFromAnotherWriter() throws IOException {
        String header = "{\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"__metadata__\":{\"format\":\"pt\"}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).putFloat(0.5f).putFloat(-1f).putLong(7);
        Path file = dir.resolve("pt.safetensors");
        Files.write(file, b.array());
        SafeTensorsFile f = SafeTensors.read(file);
        assertArrayEquals(new float[] {0.5f, -1f}, f.tensor("a").floats());
        assertEquals(7, f.tensor("b").scalarLong("test"));
        assertEquals("pt", f.metadata("format"));
    }

    private static String failure(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), "the message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void aFlippedDataByteFailsTheChecksum() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x01;
        Files.write(file, bytes);
        assertTrue(failure(file).contains("checksum mismatch"));
    }

    @Test
    void truncatedFilesFailWithTheReason() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 5));
        assertTrue(failure(file).contains("truncated"));
        Files.write(file, Arrays.copyOf(bytes, 40));
        assertTrue(failure(file).contains("truncated"));
        Files.write(file, Arrays.copyOf(bytes, 5));
        assertTrue(failure(file).contains("too short"));
    }

    @Test
    void garbageIsNotMistakenForAModel() throws IOException {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "this is not a safetensors file, just some words");
        assertTrue(failure(file).contains("header length"));
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(8).put("{broken:".getBytes());
        Files.write(file, b.array());
        assertTrue(failure(file).contains("not valid JSON"));
    }

    /** A file with {@code header} and {@code dataBytes} of (sparse, zero) tensor data. */
    private Path withHeader(String header, long dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("crafted.safetensors");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            out.setLength(8 + h.length + dataBytes); // sparse: costs no disk
        }
        return file;
    }

    @Test
    void aShapeWhoseByteCountOverflowsALongIsRefusedInOneLine() throws IOException {
        Path file = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,0]}}", 0);
        assertEquals(file + ": tensor 'w' [2147483647, 2147483647, 2147483647] F32 takes more than 2^63 - 1 bytes,"
                + " more than the 2147483639 one tensor may have (one Java array)", failure(file));
    }

    @Test
    void aShapeWhoseByteCountWrapsToZeroIsNotMistakenForAnEmptyTensor() throws IOException {
        // 2^30 * 2^30 * 4 floats * 4 bytes = 2^64 bytes, which wraps to 0 in a long.
        Path file = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[1073741824,1073741824,4],"
                + "\"data_offsets\":[0,0]}}", 0);
        assertEquals(file + ": tensor 'w' [1073741824, 1073741824, 4] F32 takes more than 2^63 - 1 bytes,"
                + " more than the 2147483639 one tensor may have (one Java array)", failure(file));
    }

    @Test
    void offsetsThatDisagreeWithShapeTimesDtypeAreRefused() throws IOException {
        Path file = withHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[8,0]}}", 24);
        assertEquals(file + ": tensor 'w' [2, 3] F32 needs 24 bytes, but data_offsets are [8, 0]", failure(file));
    }

    @Test
    void tensorsLargerThanTheHeapAreRefusedFromTheFileSizeBeforeAnyIsRead() throws IOException {
        // Enough tensors of almost 2 GiB, each within the per-tensor limit, to outgrow this JVM's heap.
        long tensorBytes = 4L * 536_000_000;
        int count = (int) (Runtime.getRuntime().maxMemory() / tensorBytes) + 2;
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            header.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[536000000],")
                    .append("\"data_offsets\":[").append(i * tensorBytes).append(',').append((i + 1) * tensorBytes).append("]}");
        }
        Path file = withHeader(header.append('}').toString(), count * tensorBytes);
        String message = failure(file);
        assertTrue(message.contains(" bytes, more than the ") && message.contains("this JVM's heap"), message);
    }

    @Test
    void aFolderInPlaceOfTheCheckpointIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("checkpoint.safetensors"));
        assertTrue(failure(folder).startsWith(folder + ": is a folder, expected a safetensors file"));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // on failure the read blocks on the pipe
    void aPipeInPlaceOfTheCheckpointIsRefusedWithoutOpeningIt() throws Exception {
        Path pipe = dir.resolve("pipe.safetensors");
        assumeTrue(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor() == 0, "mkfifo failed; pipe not tested");
        assertTrue(failure(pipe).startsWith(pipe + ": is not a regular file (a device, pipe or socket)"));
    }

    @Test
    void overwritingIsAtomicAndLeavesNoTemporaryFile() throws IOException {
        Path file = writeSample();
        TensorEntry other = TensorEntry.f32("x", new int[] {1}, new float[] {4f});
        SafeTensors.write(file, List.of(other), Map.of());
        SafeTensorsFile f = SafeTensors.read(file);
        assertEquals(List.of("x"), List.copyOf(f.tensors().keySet()));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFailedWriteKeepsWhatWasThereAndCleansUp() throws IOException {
        Path target = dir.resolve("busy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep.txt"), "precious");
        assertThrows(IOException.class, () -> SafeTensors.write(target, List.of(WEIGHT), Map.of()));
        assertEquals("precious", Files.readString(target.resolve("keep.txt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void writerRejectsDuplicatesAndTheReservedKey() {
        Path file = dir.resolve("bad.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(file, List.of(WEIGHT, WEIGHT), Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, List.of(WEIGHT), Map.of(SafeTensors.CHECKSUM_KEY, "0")));
        assertFalse(Files.exists(file));
    }
}
