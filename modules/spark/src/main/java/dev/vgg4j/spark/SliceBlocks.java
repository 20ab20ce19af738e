package dev.vgg4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * Float vectors as blocks of Spark's block manager, raw little-endian float32 bytes (no Java
 * serialization): the process that puts a block keeps it, any other fetches it through Spark's
 * block transfer service. Blocks are written once under a name that carries their version, so a
 * retried task that writes one again writes the same bytes (copy-on-write, never overwritten);
 * the driver removes a version once the next one is complete.
 */
final class SliceBlocks {
    /** Serialized bytes in memory, spilled to the executor's local disk when storage memory runs out. */
    private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK_SER();

    private SliceBlocks() {}

    /** The block of {@code what} (e.g. {@code weights}) of slice {@code slice} at {@code version} in run {@code run}. */
    static BlockId id(String run, String what, int slice, long version) {
        return TestBlockId.apply("vgg4j-" + run + "-" + what + "-" + slice + "-v" + version);
    }

    /** Stores {@code values} in this process's block manager and tells the driver where it is. */
    static void put(BlockId id, float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        if (!blockManager().putBytes(id, new ChunkedByteBuffer(bytes), LEVEL, true, ClassTag$.MODULE$.apply(byte[].class))) {
            throw new IllegalStateException("Spark's block manager on executor " + SparkEnv.get().executorId()
                    + " could not store " + id.name() + " (" + bytes.capacity() + " bytes): raise its memory or local disk");
        }
    }

    /** Reads the block into {@code dst[at, at + its length)}, from this process when it holds it, else from the one that does. */
    static void readInto(BlockId id, float[] dst, int at) {
        BlockManager blocks = blockManager();
        Option<BlockData> local = blocks.getLocalBytes(id);
        if (local.isDefined()) {
            try {
                copy(local.get().toByteBuffer(), dst, at);
            } finally {
                blocks.releaseLockAndDispose(id, local.get(), Option.<TaskContext>empty());
            }
            return;
        }
        Option<ChunkedByteBuffer> remote = blocks.getRemoteBytes(id);
        if (remote.isEmpty()) {
            throw new SliceLostException(id.name());
        }
        try {
            copy(remote.get().toByteBuffer(), dst, at);
        } finally {
            remote.get().dispose();
        }
    }

    /** Driver: drops the block from every process that holds it (asynchronously). */
    static void remove(BlockId id) {
        blockManager().master().removeBlock(id);
    }

    private static void copy(ByteBuffer bytes, float[] dst, int at) {
        bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, at, bytes.remaining() / Float.BYTES);
    }

    private static BlockManager blockManager() {
        return SparkEnv.get().blockManager();
    }

    /** A block no live process holds: the executor that stored it is gone, and with it that slice of the run's state. */
    static final class SliceLostException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        SliceLostException(String block) {
            super("parameter slice " + block + " is lost: the Spark executor that held it is gone;"
                    + " restart from the last checkpoint with --resume");
        }
    }
}
