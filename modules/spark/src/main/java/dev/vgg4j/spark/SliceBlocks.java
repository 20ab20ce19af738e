package dev.vgg4j.spark;

import java.io.IOException;
import java.lang.foreign.Arena;
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
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.network.buffer.ManagedBuffer;
import org.apache.spark.network.buffer.NioManagedBuffer;
import org.apache.spark.network.shuffle.BlockFetchingListener;
import org.apache.spark.network.shuffle.DownloadFile;
import org.apache.spark.network.shuffle.DownloadFileManager;
import org.apache.spark.network.shuffle.DownloadFileWritableChannel;
import org.apache.spark.network.util.TransportConf;
import org.apache.spark.storage.BlockData;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.apache.spark.storage.BlockManagerId;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.TestBlockId;
import org.apache.spark.util.io.ChunkedByteBuffer;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Float vectors (weights, gradients, optimizer state) as blocks of Spark's block manager, in raw
 * little-endian bytes outside the heap, in rooms that later versions reuse: a step allocates
 * nothing the garbage collector has to copy or trace. The process that puts a block keeps it, any
 * other fetches it through Spark's block transfer service. Blocks are written once under a name
 * that carries their version, so a retried task that writes one again writes the same bytes
 * (copy-on-write, never overwritten); the driver removes a version once the next one is complete.
 */
final class SliceBlocks {
    /** Serialized bytes in memory, spilled to the executor's local disk when storage memory runs out. */
    private static final StorageLevel LEVEL = StorageLevel.MEMORY_AND_DISK_SER();
    private static final String PREFIX = "vgg4j-";

    private SliceBlocks() {}

    /** What a reader does with a block: each chunk of its bytes, {@code byteOffset} bytes into the block. */
    @FunctionalInterface
    interface ChunkReader {
        void read(MemorySegment chunk, long byteOffset);
    }

    /** The block of {@code what} (e.g. {@code weights}) of slice {@code slice} at {@code version} in run {@code run}. */
    static BlockId id(String run, String what, int slice, long version) {
        return TestBlockId.apply(PREFIX + run + "-" + what + "-" + slice + "-v" + version);
    }

    /**
     * Room for block {@code id} of {@code bytes}, outside the heap: the block manager keeps the
     * buffer as it is given, and the transfer service sends a direct buffer to the socket without
     * copying it (a heap buffer is copied into a direct one, 256 KiB at a time, on every fetch).
     * The room of an earlier version of the same block (same run, kind and slice) is reused once
     * this process's block manager no longer holds that version (the driver dropped it): a step
     * then maps no fresh memory, and the buffers are native memory that Spark's removal leaves
     * alone (it frees only buffers with a cleaner of their own).
     */
    static ByteBuffer allocate(BlockId id, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a slice of " + bytes + " bytes does not fit one block (2 GiB at most):"
                    + " use more workers, so that each slice is smaller");
        }
        List<Room> shelf = SHELVES.computeIfAbsent(shelf(id), k -> new ArrayList<>());
        synchronized (shelf) {
            BlockManager blocks = blockManager();
            for (int i = 0; i < shelf.size(); i++) {
                Room room = shelf.get(i);
                if (room.buffer().capacity() == bytes && blocks.getStatus(room.block()).isEmpty()) {
                    shelf.set(i, new Room(id, room.buffer()));
                    return room.buffer().clear();
                }
            }
            ByteBuffer fresh = Arena.ofAuto().allocate(bytes, Long.BYTES).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            shelf.add(new Room(id, fresh));
            return fresh;
        }
    }

    /** A block's buffer and the block it last carried. */
    private record Room(BlockId block, ByteBuffer buffer) {}

    /** Buffers by the block they serve without its version ({@code vgg4j-RUN-WHAT-SLICE}). */
    private static final Map<String, List<Room>> SHELVES = new ConcurrentHashMap<>();

    private static String shelf(BlockId id) {
        return id.name().substring(0, id.name().lastIndexOf("-v"));
    }

    /** Lets the buffers of {@code run} in this JVM go (local mode: the driver's). */
    static void release(String run) {
        SHELVES.keySet().removeIf(shelf -> shelf.startsWith(PREFIX + run + "-"));
    }

    /** Stores {@code bytes} (from {@link #allocate}, filled) in this process's block manager and tells the driver where it is. */
    static void put(BlockId id, ByteBuffer bytes) {
        if (!blockManager().putBytes(id, new ChunkedByteBuffer(bytes), LEVEL, true, ClassTag$.MODULE$.apply(byte[].class))) {
            throw new IllegalStateException("Spark's block manager on executor " + SparkEnv.get().executorId()
                    + " could not store " + id.name() + " (" + bytes.capacity() + " bytes): raise its memory or local disk");
        }
    }

    /** Stores {@code values} [L] as block {@code id} of raw float32 bytes (in a room of {@link #allocate}). */
    static void putFloats(BlockId id, float[] values) {
        ByteBuffer bytes = allocate(id, (long) values.length * Float.BYTES);
        FloatBytes.FLOAT32.encode(values, 0, values.length, MemorySegment.ofBuffer(bytes), 0);
        put(id, bytes);
    }

    /**
     * Hands the block's bytes to {@code reader}, from this process when it holds it (no copy), else
     * as they arrive from the one that does ({@link #readAll}).
     */
    static void read(BlockId id, ChunkReader reader) {
        readAll(Map.of(id, reader));
    }

    private static void readLocal(BlockId id, ChunkReader reader) {
        BlockManager blocks = blockManager();
        Option<BlockData> local = blocks.getLocalBytes(id);
        if (local.isEmpty()) {
            throw new SliceLostException(id.name());
        }
        try {
            // our blocks are one chunk in memory: a view of it, not a copy (a spilled block is read from disk)
            reader.read(MemorySegment.ofBuffer(local.get().toByteBuffer()), 0);
        } finally {
            blocks.releaseLockAndDispose(id, local.get(), Option.<TaskContext>empty());
        }
    }

    /**
     * Hands each block's bytes to its reader: the blocks other processes hold are all requested at
     * once and each is read on Spark's transfer thread as it arrives, from the received network
     * buffers themselves, while this thread reads the local ones. The readers run concurrently, so
     * they must write disjoint memory.
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
        local.forEach(SliceBlocks::readLocal);
        for (CompletableFuture<Void> fetch : fetches) {
            try {
                fetch.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    /**
     * Requests block {@code id} from a process that holds it, as a stream: each piece the socket
     * delivers goes to {@code reader} as it arrives (re-cut at float boundaries by
     * {@link WholeFloats}) and is released at once, where a plain fetch holds all the pieces of a
     * 67 MB slice, merges them 20 MB at a time and hands over the whole (JFR: the pooled
     * allocator's frees and the merges were 4% of an executor's step).
     */
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
        StreamedToReader streamed = new StreamedToReader(reader);
        blocks.blockTransferService().fetchBlocks(at.host(), at.port(), at.executorId(), new String[] {id.name()},
                new BlockFetchingListener() {
                    @Override
                    public void onBlockFetchSuccess(String blockId, ManagedBuffer nothing) {
                        done.complete(null);
                    }

                    @Override
                    public void onBlockFetchFailure(String blockId, Throwable cause) {
                        done.completeExceptionally(streamed.readerFailure != null ? streamed.readerFailure
                                : new SliceLostException(id.name()));
                    }
                }, streamed);
        return done;
    }

    /**
     * Spark's place for a block fetched as a stream ({@link DownloadFileManager}, made for files),
     * here a channel that hands the bytes to a reader, in order, and keeps nothing. A stream is
     * read once: Spark's transfer retries a stream that broke, but the reader (a sum) may have
     * taken part of it, so a second start fails the fetch instead, and with it the task, which
     * Spark then retries whole.
     */
    static final class StreamedToReader implements DownloadFileManager, DownloadFile {
        private final WholeFloats whole;
        private volatile RuntimeException readerFailure;
        private boolean opened;

        StreamedToReader(ChunkReader reader) {
            this.whole = new WholeFloats(reader);
        }

        @Override
        public DownloadFile createTempFile(TransportConf conf) {
            return this;
        }

        @Override
        public boolean registerTempFileToClean(DownloadFile file) {
            return false; // nothing to clean: Spark calls delete
        }

        @Override
        public boolean delete() {
            return true;
        }

        @Override
        public String path() {
            return "(read in place)";
        }

        @Override
        public synchronized DownloadFileWritableChannel openForWriting() {
            if (opened) {
                throw new IllegalStateException("the stream of a slice broke after its reader took part of it");
            }
            opened = true;
            return new DownloadFileWritableChannel() {
                private long offset;
                private boolean open = true;

                @Override
                public int write(ByteBuffer piece) throws IOException {
                    int bytes = piece.remaining();
                    try {
                        whole.read(MemorySegment.ofBuffer(piece), offset);
                    } catch (RuntimeException e) {
                        readerFailure = e;
                        throw new IOException(e);
                    }
                    offset += bytes;
                    piece.position(piece.limit());
                    return bytes;
                }

                @Override
                public ManagedBuffer closeAndRead() {
                    open = false;
                    whole.finish();
                    return new NioManagedBuffer(ByteBuffer.allocate(0));
                }

                @Override
                public boolean isOpen() {
                    return open;
                }

                @Override
                public void close() {
                    open = false;
                }
            };
        }
    }

    /** Reads the block of float32 values into {@code dst[at, at + its length)}. */
    static void readInto(BlockId id, float[] dst, int at) {
        read(id, (chunk, offset) -> FloatBytes.decodeFloat32(chunk, 0, dst, at + Math.toIntExact(offset / Float.BYTES),
                Math.toIntExact(chunk.byteSize() / Float.BYTES)));
    }

    /**
     * Passes on chunks cut at multiples of 4 bytes (a float32, two bfloat16): a value split
     * between two chunks is joined and passed on by itself; readers must not keep a chunk.
     */
    static final class WholeFloats implements ChunkReader {
        private final ChunkReader reader;
        /** The first bytes of a value split between chunks, {@code carried} of them, from {@code carryOffset} of the block. */
        private final MemorySegment carry = MemorySegment.ofArray(new byte[Float.BYTES]);
        private int carried;
        private long carryOffset;

        WholeFloats(ChunkReader reader) {
            this.reader = reader;
        }

        @Override
        public void read(MemorySegment chunk, long byteOffset) {
            long at = 0;
            if (carried > 0) {
                at = Math.min(Float.BYTES - carried, chunk.byteSize());
                MemorySegment.copy(chunk, 0, carry, carried, at);
                carried += (int) at;
                if (carried < Float.BYTES) {
                    return;
                }
                reader.read(carry, carryOffset);
            }
            long whole = (chunk.byteSize() - at) / Float.BYTES * Float.BYTES;
            if (whole > 0) {
                reader.read(chunk.asSlice(at, whole), byteOffset + at);
            }
            carried = (int) (chunk.byteSize() - at - whole);
            carryOffset = byteOffset + at + whole;
            MemorySegment.copy(chunk, at + whole, carry, 0, carried);
        }

        /** The block's last bytes when its length is not a multiple of 4 (an odd count of bfloat16). */
        void finish() {
            if (carried > 0) {
                reader.read(carry.asSlice(0, carried), carryOffset);
            }
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
