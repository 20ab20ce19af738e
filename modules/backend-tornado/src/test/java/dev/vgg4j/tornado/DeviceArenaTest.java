package dev.vgg4j.tornado;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The device heap's allocator, host-side only: blocks handed out never overlap, however fragmented
 * the free list gets, and everything freed merges back into one block.
 */
class DeviceArenaTest {
    private record Block(int offset, int size) {
        long end() {
            return offset + (long) Math.max(DeviceArena.ALIGN, (size + DeviceArena.ALIGN - 1) / DeviceArena.ALIGN * DeviceArena.ALIGN);
        }
    }

    /**
     * Random allocations and frees of mixed sizes, up to 300 blocks live: many free blocks at once, so
     * that first fit splits blocks deep inside the free map, not only its last one (which is what
     * broke: the fp16 backend's scratch buffers fragmented the heap, and later tests got overlapping tensors).
     */
    @Test
    void blocksNeverOverlapAndAllMergeBackWhenFreed() {
        long capacity = 1L << 24;
        DeviceArena arena = new DeviceArena(capacity);
        SplittableRandom random = new SplittableRandom(3);
        List<Block> live = new ArrayList<>();
        for (int op = 0; op < 4000; op++) {
            if (live.isEmpty() || (live.size() < 300 && random.nextBoolean())) {
                int size = 1 + random.nextInt(random.nextBoolean() ? 200 : 20_000);
                Block b = new Block(arena.allocate(size), size);
                assertTrue(b.offset() % DeviceArena.ALIGN == 0 && b.end() <= capacity, "block " + b + " inside the heap, aligned");
                for (Block other : live) {
                    assertTrue(b.end() <= other.offset() || other.end() <= b.offset(),
                            "operation " + op + ": new block " + b + " overlaps live block " + other);
                }
                live.add(b);
            } else {
                Block b = live.remove(random.nextInt(live.size()));
                arena.free(b.offset(), b.size());
            }
        }
        for (Block b : live) {
            arena.free(b.offset(), b.size());
        }
        assertEquals(0, arena.usedFloats());
        assertEquals(0, arena.allocate((int) capacity), "the whole heap is one free block again");
    }
}
