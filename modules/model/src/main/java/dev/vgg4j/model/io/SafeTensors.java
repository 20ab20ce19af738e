package dev.vgg4j.model.io;

import dev.vgg4j.core.Sizes;
import dev.vgg4j.core.io.InputFileException;
import dev.vgg4j.core.io.InputFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads and writes the safetensors format (https://github.com/huggingface/safetensors):
 * <pre>
 * [8 bytes] N, the header length, unsigned little-endian
 * [N bytes] JSON header, UTF-8, padded with spaces to a multiple of 8:
 *           {"__metadata__": {"key": "value", ...},
 *            "name": {"dtype": "F32", "shape": [64, 3, 3, 3], "data_offsets": [begin, end]}, ...}
 * [rest]    the tensors' little-endian bytes, contiguous; offsets count from the end of the header
 * </pre>
 * vgg4j adds {@value #CHECKSUM_KEY}, the CRC32C of the data section, to the metadata and checks it
 * on load, so a corrupt or truncated file fails with a message naming it instead of loading
 * garbage. Files without the key (e.g. written by PyTorch) load without that check.
 *
 * <p>Writes are atomic: the file is written to a temporary file in the same directory, forced to
 * disk, then renamed over the target, so a crash leaves either the old file or the new one.
 */
public final class SafeTensors {
    public static final String METADATA_KEY = "__metadata__";
    public static final String CHECKSUM_KEY = "vgg4j.crc32c";
    /** Headers larger than this are treated as corruption rather than read into memory. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private SafeTensors() {}

    /**
     * Writes {@code tensors} in the given order and {@code metadata} to {@code file}, atomically.
     *
     * @param metadata string pairs stored in {@code __metadata__} (e.g. model config, trainer state
     *     as a JSON string); must not use {@value #CHECKSUM_KEY}
     */
    public static void write(Path file, Collection<TensorEntry> tensors, Map<String, String> metadata)
            throws IOException {
        if (metadata.containsKey(CHECKSUM_KEY)) {
            throw new IllegalArgumentException(file + ": metadata key " + CHECKSUM_KEY + " is reserved for the checksum");
        }
        byte[] header = header(file, tensors, metadata);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeFully(ch, ByteBuffer.wrap(header));
                for (TensorEntry t : tensors) {
                    writeFully(ch, ByteBuffer.wrap(t.bytes()));
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(dir);
    }

    /** Reads {@code file}, checking its structure and, when present, its checksum. */
    public static SafeTensorsFile read(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            long size = ch.size();
            if (size < 8) {
                throw new CheckpointException(file + ": " + size + " bytes is too short for a safetensors file"
                        + " (expected an 8-byte header length first)");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lengthBytes, 0, file);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw new CheckpointException(file + ": header length " + headerLength + " does not fit a file of "
                        + size + " bytes (truncated, or not a safetensors file)");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBytes, 8, file);
            Header header = parseHeader(file, new String(headerBytes.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            if (header.dataSize != dataSize) {
                throw new CheckpointException(file + ": the header describes " + header.dataSize
                        + " bytes of tensor data but the file holds " + dataSize
                        + (dataSize < header.dataSize ? " (truncated)" : " (trailing bytes)"));
            }
            CRC32C crc = new CRC32C();
            Map<String, TensorEntry> tensors = new LinkedHashMap<>();
            for (Slot s : header.slots) {
                ByteBuffer data = ByteBuffer.allocate((int) (s.end - s.begin));
                readFully(ch, data, dataStart + s.begin, file);
                crc.update(data.array());
                tensors.put(s.name, new TensorEntry(s.name, s.dtype, s.shape, data.array()));
            }
            Map<String, String> metadata = new LinkedHashMap<>(header.metadata);
            String expected = metadata.remove(CHECKSUM_KEY);
            String actual = Long.toHexString(crc.getValue());
            if (expected != null && !expected.equals(actual)) {
                throw new CheckpointException(file + ": checksum mismatch (header " + CHECKSUM_KEY + " " + expected
                        + ", data " + actual + "): the file is corrupt");
            }
            return new SafeTensorsFile(file, tensors, metadata);
        }
    }

    /**
     * Opens {@code file} once it is known to be a regular file whose tensors fit in this JVM's heap,
     * which is where they are read to; refusals are {@link CheckpointException}s naming the file.
     */
    private static FileChannel open(Path file) throws CheckpointException {
        long heap = Runtime.getRuntime().maxMemory();
        try {
            return InputFiles.openChannel(file, 8 + MAX_HEADER_BYTES + heap,
                    "a safetensors file whose tensors fit in this JVM's heap of " + heap + " bytes");
        } catch (InputFileException e) {
            throw new CheckpointException(e.getMessage());
        }
    }

    private static byte[] header(Path file, Collection<TensorEntry> tensors, Map<String, String> metadata) {
        CRC32C crc = new CRC32C();
        Set<String> names = new HashSet<>();
        StringBuilder entries = new StringBuilder();
        long offset = 0;
        for (TensorEntry t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException(file + ": tensor name '" + t.name() + "' appears twice");
            }
            crc.update(t.bytes());
            long end = offset + t.bytes().length;
            entries.append(',').append(Json.quote(t.name())).append(":{\"dtype\":\"").append(t.dtype().name())
                    .append("\",\"shape\":").append(shapeJson(t.shape()))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CHECKSUM_KEY, Long.toHexString(crc.getValue()));
        StringBuilder json = new StringBuilder("{\"" + METADATA_KEY + "\":{");
        String sep = "";
        for (Map.Entry<String, String> e : meta.entrySet()) {
            json.append(sep).append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
            sep = ",";
        }
        json.append('}').append(entries).append('}');
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        while ((json.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) {
            json.append(' ');
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String shapeJson(int[] shape) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return b.append(']').toString();
    }

    private record Slot(String name, DType dtype, int[] shape, long begin, long end) {}

    private record Header(List<Slot> slots, Map<String, String> metadata, long dataSize) {}

    private static Header parseHeader(Path file, String text) throws CheckpointException {
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": the header is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new CheckpointException(file + ": the header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Slot> slots = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                if (!(e.getValue() instanceof Map<?, ?> meta)) {
                    throw new CheckpointException(file + ": " + METADATA_KEY + " is not an object of strings");
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String value)) {
                        throw new CheckpointException(file + ": metadata '" + m.getKey() + "' is not a string");
                    }
                    metadata.put((String) m.getKey(), value);
                }
            } else {
                slots.add(slot(file, name, e.getValue()));
            }
        }
        slots.sort(Comparator.comparingLong(Slot::begin));
        long expectedBegin = 0;
        for (Slot s : slots) {
            if (s.begin != expectedBegin) {
                throw new CheckpointException(file + ": tensor '" + s.name + "' starts at byte " + s.begin
                        + " of the data, expected " + expectedBegin + " (tensors must be contiguous)");
            }
            expectedBegin = s.end;
        }
        return new Header(slots, metadata, expectedBegin);
    }

    private static Slot slot(Path file, String name, Object value) throws CheckpointException {
        String where = file + ": tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> info)
                || !(info.get("dtype") instanceof String dtypeName)
                || !(info.get("shape") instanceof List<?> shapeList)
                || !(info.get("data_offsets") instanceof List<?> offsets)
                || offsets.size() != 2
                || !(offsets.get(0) instanceof Long begin)
                || !(offsets.get(1) instanceof Long end)) {
            throw new CheckpointException(where + " needs dtype, shape and data_offsets [begin, end], got " + value);
        }
        DType dtype = DType.parse(dtypeName, name, file.toString());
        int[] shape = new int[shapeList.size()];
        long[] bytesAndShape = new long[shape.length + 1];
        bytesAndShape[0] = dtype.bytes();
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new CheckpointException(where + " has a bad shape " + shapeList
                        + " (each size must be a whole number from 0 to 2^31 - 1)");
            }
            shape[i] = d.intValue();
            bytesAndShape[i + 1] = d;
        }
        long bytes = Sizes.saturatedProduct(bytesAndShape);
        if (bytes > Sizes.MAX_ARRAY_LENGTH) {
            throw new CheckpointException(where + " " + shapeList + " " + dtype + " takes " + Sizes.describe(bytes)
                    + " bytes, more than the " + Sizes.MAX_ARRAY_LENGTH + " one tensor may have (one Java array)");
        }
        if (begin < 0 || end < begin || end - begin != bytes) {
            throw new CheckpointException(where + " " + shapeList + " " + dtype + " needs " + bytes
                    + " bytes, but data_offsets are [" + begin + ", " + end + "]");
        }
        return new Slot(name, dtype, shape, begin, end);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long pos = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new CheckpointException(file + ": unexpected end of file at byte " + pos + " (truncated)");
            }
            pos += n;
        }
    }

    /** Makes the rename durable; some platforms cannot open a directory, and then the rename is all we can do. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort by design: the file itself is already forced and renamed atomically.
        }
    }
}
