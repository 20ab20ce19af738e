package dev.vgg4j.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A PNG file of 33 bytes: the signature and an IHDR chunk stating any width and height (8-bit
 * RGB), with no pixel data. A reader that checks the header before decoding refuses a huge one at
 * no cost; one that decodes first would allocate the whole image.
 */
final class PngHeader {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngHeader() {}

    static Path write(Path file, int width, int height) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(4 + 13);
        chunk.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height)
                .put((byte) 8)  // bit depth
                .put((byte) 2)  // colour type: RGB
                .put((byte) 0).put((byte) 0).put((byte) 0); // compression, filter, interlace
        CRC32 crc = new CRC32();
        crc.update(chunk.array());
        ByteBuffer png = ByteBuffer.allocate(SIGNATURE.length + 4 + chunk.capacity() + 4);
        png.put(SIGNATURE).putInt(13).put(chunk.array()).putInt((int) crc.getValue());
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, png.array());
    }
}
