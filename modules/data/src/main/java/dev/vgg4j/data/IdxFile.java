package dev.vgg4j.data;

import dev.vgg4j.core.Sizes;
import dev.vgg4j.core.io.InputFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST format): a magic number {@code 00 00 08 D} (unsigned bytes, D
 * dimensions), D big-endian int32 sizes, then the bytes. Gzip-compressed files are recognised by
 * their own magic bytes, whatever the file name says.
 *
 * <p>The payload is one Java array, so it holds at most 2^31 - 9 bytes; the
 * header's sizes are checked against that (and, for a raw file, against the file's length) before
 * anything is allocated, and a gzipped payload is allocated as it inflates, so a header that
 * promises more than the file holds costs no memory.
 *
 * @param dims the sizes, e.g. {@code [60000, 28, 28]} for images, {@code [60000]} for labels
 * @param data the payload, {@code product(dims)} bytes
 */
public record IdxFile(int[] dims, byte[] data) {
    private static final int MAX_RANK = 4;
    private static final long MAX_FILE_BYTES = 4 + 4 * MAX_RANK + (long) Sizes.MAX_ARRAY_LENGTH;
    private static final int UNSIGNED_BYTE = 0x08;
    /** A gzipped payload grows from this size as its bytes arrive. */
    private static final int FIRST_CHUNK = 1 << 20;

    public static IdxFile read(Path file) throws IOException {
        long fileBytes = InputFiles.requireRegularFile(file, MAX_FILE_BYTES, "an IDX file");
        try (InputStream raw = new BufferedInputStream(InputFiles.open(file, MAX_FILE_BYTES, "an IDX file"))) {
            return read(raw, file.toString(), fileBytes);
        }
    }

    /** Reads from {@code in}; {@code source} names it in error messages. */
    public static IdxFile read(InputStream in, String source) throws IOException {
        return read(in, source, -1);
    }

    /** @param rawBytes the length of an uncompressed file, checked against its header; -1 when unknown */
    private static IdxFile read(InputStream in, String source, long rawBytes) throws IOException {
        InputStream stream = in.markSupported() ? in : new BufferedInputStream(in);
        stream.mark(2);
        int b0 = stream.read();
        int b1 = stream.read();
        stream.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        if (gzip) {
            stream = new BufferedInputStream(new GZIPInputStream(stream));
        }
        DataInputStream data = new DataInputStream(stream);
        int[] dims = readHeader(data, source);
        long payloadBytes = Sizes.saturatedProduct(Arrays.stream(dims).asLongStream().toArray());
        if (payloadBytes > Sizes.MAX_ARRAY_LENGTH) {
            throw new IOException(source + ": header " + Arrays.toString(dims) + " announces " + Sizes.describe(payloadBytes)
                    + " bytes of data, more than the " + Sizes.MAX_ARRAY_LENGTH + " one IDX payload may have (one Java array)");
        }
        long headerBytes = 4 + 4L * dims.length;
        long known = gzip ? -1 : rawBytes;
        if (known >= 0 && known - headerBytes != payloadBytes) {
            throw new IOException(source + ": " + (known - headerBytes < payloadBytes ? "data section truncated" : "trailing bytes")
                    + ": header " + Arrays.toString(dims) + " announces " + payloadBytes + " bytes of data, the file holds "
                    + (known - headerBytes));
        }
        byte[] payload = readPayload(data, (int) payloadBytes, known >= 0, source, dims);
        return new IdxFile(dims, payload);
    }

    private static int[] readHeader(DataInputStream data, String source) throws IOException {
        try {
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > MAX_RANK) {
                throw new IOException(source + ": not an IDX file of unsigned bytes: magic 0x"
                        + String.format("%08x", magic) + ", expected 0x000008D with 1 <= D <= " + MAX_RANK);
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] <= 0) {
                    throw new IOException(source + ": dimension " + i + " is " + dims[i] + ", expected > 0");
                }
            }
            return dims;
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX header", e);
        }
    }

    /** Reads the payload; unless its size was checked against the file, it grows as bytes arrive. */
    private static byte[] readPayload(InputStream in, int length, boolean sizeChecked, String source, int[] dims)
            throws IOException {
        byte[] payload = new byte[sizeChecked ? length : Math.min(length, FIRST_CHUNK)];
        int filled = 0;
        try {
            while (filled < length) {
                if (filled == payload.length) {
                    payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
                }
                int n = in.read(payload, filled, payload.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed stream stops early.
        }
        if (filled != length) {
            throw new IOException(source + ": data section truncated: header " + Arrays.toString(dims) + " announces "
                    + length + " bytes of data, the file holds " + filled);
        }
        return payload;
    }
}
