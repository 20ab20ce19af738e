package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.apache.spark.network.shuffle.DownloadFileWritableChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fetched block arrives as a stream of pieces cut anywhere; its readers see whole floats at the right offsets, once. */
class WholeFloatsTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 4, 6, 4000, 4002, 65_538})
    void chunksCutAnywhereReachTheReaderAsWholeFloatsInPlace(int blockBytes) {
        Random random = new Random(blockBytes);
        byte[] block = new byte[blockBytes];
        random.nextBytes(block);
        byte[] seen = new byte[blockBytes];
        int[] lastEnd = {0};
        SliceBlocks.WholeFloats whole = new SliceBlocks.WholeFloats((chunk, byteOffset) -> {
            long end = byteOffset + chunk.byteSize();
            boolean lastBytesOfOddBfloat16 = end == blockBytes && blockBytes % Float.BYTES != 0;
            assertEquals(0, byteOffset % Float.BYTES, "a chunk starts on a float");
            if (!lastBytesOfOddBfloat16) {
                assertEquals(0, chunk.byteSize() % Float.BYTES, "a chunk holds whole floats");
            }
            assertEquals(lastEnd[0], byteOffset, "chunks arrive in order, each where the last ended");
            MemorySegment.copy(chunk, 0, MemorySegment.ofArray(seen), byteOffset, chunk.byteSize());
            lastEnd[0] = (int) end;
        });
        for (int at = 0; at < blockBytes; ) {
            int cut = Math.min(blockBytes - at, random.nextInt(3) == 0 ? 1 + random.nextInt(7) : 1 + random.nextInt(9000));
            whole.read(MemorySegment.ofArray(block).asSlice(at, cut), at);
            at += cut;
        }
        whole.finish();
        assertEquals(blockBytes, lastEnd[0]);
        assertArrayEquals(block, seen);
    }

    @Test
    void aStreamedBlockReachesItsReaderInOrderAndOnlyOnce() throws Exception {
        float[] values = {1.5f, -2f, 3.25f, 1e-7f, 42f};
        ByteBuffer block = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            block.putFloat(v);
        }
        float[] read = new float[values.length];
        SliceBlocks.StreamedToReader streamed = new SliceBlocks.StreamedToReader((chunk, byteOffset) ->
                FloatBytes.decodeFloat32(chunk, 0, read, (int) (byteOffset / Float.BYTES), (int) (chunk.byteSize() / Float.BYTES)));
        DownloadFileWritableChannel channel = streamed.createTempFile(null).openForWriting();
        for (int at = 0; at < block.capacity(); at += 3) { // pieces of 3 bytes: every float is split
            channel.write(block.duplicate().position(at).limit(Math.min(block.capacity(), at + 3)));
        }
        assertEquals(0, channel.closeAndRead().size());
        assertArrayEquals(values, read);
        assertThrows(IllegalStateException.class, () -> streamed.createTempFile(null).openForWriting(),
                "a restarted stream would give a sum some of its bytes twice");
    }
}
