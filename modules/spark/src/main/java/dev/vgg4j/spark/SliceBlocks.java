package dev.vgg4j.spark;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.network.shuffle.BlockFetchingListener;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.BlockResult;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Float vectors as blocks of Spark's block manager: raw little-endian bytes for what other
 * executors fetch every step (weights, gradients), the arrays themselves for what is mostly read
 * where it was written (the optimizer state). The process that puts a block keeps it, any other
 * fetches it through Spark's block transfer service. Blocks are written once under a name that carries their version, so a
 * retried task that writes one again writes the same bytes (copy-on-write, never overwritten);
 * the driver removes a version once the next one is complete.
 */
final class SliceBlocks {
    /** Serialized bytes in memory, spilled to the executor's local disk when storage memory runs out. */
    private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK_SER();
    /** Objects in memory, serialized to the executor's local disk when storage memory runs out. */
    private static final StorageLevel LEVEL_VALUES = StorageLevel.MEMORY_AND_DISK();

    private SliceBlocks() {}

    /** What a reader does with a block: each chunk of its bytes, {@code byteOffset} bytes into the block. */
    @FunctionalInterface
    interface ChunkReader {
        void read(MemorySegment chunk, long byteOffset);
    }

    /** The block of {@code what} (e.g. {@code weights}) of slice {@code slice} at {@code version} in run {@code run}. */
    static BlockId id(String run, String what, int slice, long version) {
        return TestBlockId.apply("vgg4j-" + run + "-" + what + "-" + slice + "-v" + version);
    }

    /**
     * Room for a block of {@code bytes}, outside the heap: the block manager keeps the buffer as it
     * is given, and the transfer service sends a direct buffer to the socket without copying it
     * (a heap buffer is copied into a direct one, 256 KiB at a time, on every fetch).
     */
    static ByteBuffer allocate(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a slice of " + bytes + " bytes does not fit one block (2 GiB at most):"
                    + " use more workers, so that each slice is smaller");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Stores {@code bytes} (from {@link #allocate}, filled) in this process's block manager and tells the driver where it is. */
    static void put(BlockId id, ByteBuffer bytes) {
        if (!blockManager().putBytes(id, new ChunkedByteBuffer(bytes), LEVEL, true, ClassTag$.MODULE$.apply(byte[].class))) {
            throw new IllegalStateException("Spark's block manager on executor " + SparkEnv.get().executorId()
                    + " could not store " + id.name() + " (" + bytes.capacity() + " bytes): raise its memory or local disk");
        }
    }

    /**
     * Stores {@code values} as they are (a deserialized block: no copy), for blocks that other
     * processes rarely read (the optimizer state); the caller never writes {@code values} again.
     */
    static void putValues(BlockId id, float[] values) {
        if (!blockManager().putSingle(id, values, LEVEL_VALUES, true, ClassTag$.MODULE$.apply(float[].class))) {
            throw new IllegalStateException("Spark's block manager on executor " + SparkEnv.get().executorId()
                    + " could not store " + id.name() + " (" + values.length + " floats): raise its memory or local disk");
        }
    }

    /** The values of a block of {@link #putValues}: this process's array itself when it holds it (read only), else a copy fetched. */
    static float[] readValues(BlockId id) {
        BlockManager blocks = blockManager();
        Option<BlockResult> found = blocks.getLocalValues(id);
        if (found.isEmpty()) {
            found = blocks.getRemoteValues(id, ClassTag$.MODULE$.apply(float[].class));
        }
        if (found.isEmpty()) {
            throw new SliceLostException(id.name());
        }
        scala.collection.Iterator<Object> values = found.get().data();
        float[] only = (float[]) values.next();
        if (values.hasNext()) { // the end of the values also releases the block's read lock
            throw new IllegalStateException("block " + id.name() + " holds more than one array");
        }
        return only;
    }

    /** Hands the block's bytes to {@code reader}, from this process when it holds it (no copy), else from the one that does. */
    static void read(BlockId id, ChunkReader reader) {
        BlockManager blocks = blockManager();
        Option<BlockData> local = blocks.getLocalBytes(id);
        if (local.isDefined()) {
            try {
                // our blocks are one chunk in memory: a view of it, not a copy (a spilled block is read from disk)
                reader.read(MemorySegment.ofBuffer(local.get().toByteBuffer()), 0);
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
            readChunks(remote.get(), reader);
        } finally {
            remote.get().dispose();
        }
    }

    /**
     * Hands each block's bytes to its reader: the blocks other processes hold are all requested at
     * once and each is read on Spark's transfer thread as it arrives (one heap copy of the received
     * frame, where {@link #read}'s {@code getRemoteBytes} makes two), while this thread reads the
     * local ones. The readers run concurrently, so they must write disjoint memory.
     */
    static void readAll(Map<BlockId, ChunkReader> readers) {
        BlockManager blocks = blockManager();
        List<CompletableFuture<Void>> fetches = new ArrayList<>();
        Map<BlockId, ChunkReader> local = new LinkedHashMap<>();
        readers.forEach((id, reader) -> {
            if (blocks.getStatus(id).isDefined()) {
                local.put(id, reader);
            } else {
                fetches.add(fetch(blocks, id, reader));
            }
        });
        local.forEach(SliceBlocks::read);
        for (CompletableFuture<Void> fetch : fetches) {
            try {
                fetch.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    /** Requests block {@code id} from a process that holds it; {@code reader} runs when it arrives. */
    private static CompletableFuture<Void> fetch(BlockManager blocks, BlockId id, ChunkReader reader) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        BlockManagerId self = blocks.blockManagerId();
        Optional<BlockManagerId> holder = CollectionConverters.asJava(blocks.master().getLocations(id)).stream()
                .filter(at -> !at.equals(self)).findFirst();
        if (holder.isEmpty()) {
            done.completeExceptionally(new SliceLostException(id.name()));
            return done;
        }
        BlockManagerId at = holder.get();
        blocks.blockTransferService().fetchBlocks(at.host(), at.port(), at.executorId(), new String[] {id.name()},
                new BlockFetchingListener() {
                    @Override
                    public void onBlockFetchSuccess(String blockId, ManagedBuffer data) {
                        try { // data is released when this returns: read it here (a received composite is copied once)
                            reader.read(MemorySegment.ofBuffer(data.nioByteBuffer()), 0);
                            done.complete(null);
                        } catch (Throwable t) {
                            done.completeExceptionally(t);
                        }
                    }

                    @Override
                    public void onBlockFetchFailure(String blockId, Throwable cause) {
                        done.completeExceptionally(new SliceLostException(id.name()));
                    }
                }, null);
        return done;
    }

    /** Reads the block of float32 values into {@code dst[at, at + its length)}. */
    static void readInto(BlockId id, float[] dst, int at) {
        read(id, (chunk, offset) -> FloatBytes.decodeFloat32(chunk, 0, dst, at + Math.toIntExact(offset / Float.BYTES),
                Math.toIntExact(chunk.byteSize() / Float.BYTES)));
    }

    private static void readChunks(ChunkedByteBuffer bytes, ChunkReader reader) {
        long offset = 0;
        for (ByteBuffer chunk : bytes.getChunks()) {
            MemorySegment segment = MemorySegment.ofBuffer(chunk);
            reader.read(segment, offset);
            offset += segment.byteSize();
        }
    }

    /** Driver: drops the block from every process that holds it (asynchronously). */
    static void remove(BlockId id) {
        blockManager().master().removeBlock(id);
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
