package dev.vgg4j.tornado;

import java.util.Map;
import java.util.TreeMap;

/**
 * First-fit allocator of float ranges inside the one device heap: it only does the host-side
 * bookkeeping of which offsets are taken. Blocks are aligned to {@link #ALIGN} floats (256 bytes)
 * so that every tensor starts on a coalescing boundary; freed neighbours merge.
 */
final class DeviceArena {
    static final int ALIGN = 64;

    private final long capacity;
    /** Free blocks: offset to length, in floats. */
    private final TreeMap<Long, Long> free = new TreeMap<>();
    private long used;

    DeviceArena(long capacityFloats) {
        this.capacity = capacityFloats;
        free.put(0L, capacityFloats);
    }

    /** The offset of a new block of at least {@code size} floats. */
    synchronized int allocate(int size) {
        long want = Math.max(ALIGN, (size + ALIGN - 1L) / ALIGN * ALIGN);
        for (Map.Entry<Long, Long> block : free.entrySet()) {
            if (block.getValue() >= want) {
                // Key and length read before the remove: TreeMap deletes a node with two children by
                // moving its successor's key and value into that node, i.e. into this very entry, which
                // then named a free block past this one (a split remainder overlapping live tensors).
                long at = block.getKey();
                long length = block.getValue();
                free.remove(at);
                if (length > want) {
                    free.put(at + want, length - want);
                }
                used += want;
                return Math.toIntExact(at);
            }
        }
        throw new IllegalStateException("tornado: the device heap of " + mib(capacity) + " MiB has no free block of "
                + mib(want) + " MiB (" + mib(used) + " MiB in use); start the JVM with a larger "
                + "-Dvgg4j.tornado.memory=<MiB> (or backend option tornado.memory)");
    }

    /** Returns the block at {@code offset} of {@code size} floats, merging it with free neighbours. */
    synchronized void free(int offset, int size) {
        long at = offset;
        long length = Math.max(ALIGN, (size + ALIGN - 1L) / ALIGN * ALIGN);
        used -= length;
        Map.Entry<Long, Long> before = free.floorEntry(at);
        if (before != null && before.getKey() + before.getValue() == at) {
            free.remove(before.getKey());
            at = before.getKey();
            length += before.getValue();
        }
        Long after = free.get(at + length);
        if (after != null) {
            free.remove(at + length);
            length += after;
        }
        free.put(at, length);
    }

    synchronized long usedFloats() {
        return used;
    }

    long capacityFloats() {
        return capacity;
    }

    private static long mib(long floats) {
        return floats * Float.BYTES >> 20;
    }
}
