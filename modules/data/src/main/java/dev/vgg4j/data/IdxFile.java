package dev.vgg4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * One IDX file (the MNIST format): a magic number {@code 00 00 08 D} (unsigned bytes, D
 * dimensions), D big-endian int32 sizes, then the bytes. Gzip-compressed files are recognised by
 * their own magic bytes, whatever the file name says.
 *
 * @param dims the sizes, e.g. {@code [60000, 28, 28]} for images, {@code [60000]} for labels
 * @param data the payload, {@code product(dims)} bytes
 */
public record IdxFile(int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;

    public static IdxFile read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(raw, file.toString());
        }
    }

    /** Reads from {@code in}; {@code source} names it in error messages. */
    public static IdxFile read(InputStream in, String source) throws IOException {
        InputStream stream = in.markSupported() ? in : new BufferedInputStream(in);
        stream.mark(2);
        int b0 = stream.read();
        int b1 = stream.read();
        stream.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            stream = new BufferedInputStream(new GZIPInputStream(stream));
        }
        DataInputStream data = new DataInputStream(stream);
        try {
            int magic = data.readInt();
            int type = (magic >>> 8) & 0xFF;
            int rank = magic & 0xFF;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
                throw new IOException(source + ": not an IDX file of unsigned bytes: magic 0x"
                        + String.format("%08x", magic) + ", expected 0x000008D with 1 <= D <= 4");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                if (dims[i] <= 0) {
                    throw new IOException(source + ": dimension " + i + " is " + dims[i] + ", expected > 0");
                }
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(source + ": " + Arrays.toString(dims) + " holds more than 2^31 bytes");
            }
            byte[] payload = new byte[(int) size];
            int read = data.readNBytes(payload, 0, payload.length);
            if (read != payload.length) {
                throw new IOException(source + ": truncated: header " + Arrays.toString(dims) + " announces "
                        + payload.length + " bytes, file holds " + read);
            }
            return new IdxFile(dims, payload);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX header", e);
        }
    }
}
