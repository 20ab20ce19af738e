package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void runsEveryTaskExactlyOnceAcrossRepeatedCalls() {
        try (WorkerPool pool = new WorkerPool(3)) {
            for (int round = 0; round < 50; round++) {
                int tasks = 1 + round % 7;
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                pool.parallelFor(tasks, hits::incrementAndGet);
                int[] expected = new int[tasks];
                java.util.Arrays.fill(expected, 1);
                int[] got = new int[tasks];
                for (int i = 0; i < tasks; i++) {
                    got[i] = hits.get(i);
                }
                assertArrayEquals(expected, got, "round " + round);
            }
        }
    }

    @Test
    void nestedCallsRunInlineInsteadOfDeadlocking() {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.parallelFor(2, outer -> pool.parallelFor(2, inner -> hits.incrementAndGet(outer * 2 + inner)));
            for (int i = 0; i < 4; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }

    @Test
    void insideTaskOnEveryThreadOfAFanOutAndNowhereElse() {
        try (WorkerPool pool = new WorkerPool(2)) {
            assertEquals(false, pool.insideTask());
            AtomicIntegerArray inside = new AtomicIntegerArray(64);
            pool.parallelFor(64, i -> {
                if (pool.insideTask()) {
                    inside.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 64; i++) {
                assertEquals(1, inside.get(i), "task " + i);
            }
            assertEquals(false, pool.insideTask());
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(8, i -> {
                if (i == 5) {
                    throw new IllegalStateException("task 5");
                }
            }));
            assertEquals("task 5", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(3);
            pool.parallelFor(3, hits::incrementAndGet);
            assertEquals(3, hits.get(0) + hits.get(1) + hits.get(2));
        }
    }

    @Test
    void callsFromTwoOutsideThreadsEachRunAllTheirTasks() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(2);
            Runnable caller = () -> {
                for (int round = 0; round < 200; round++) {
                    pool.parallelFor(4, i -> hits.incrementAndGet(i % 2));
                }
            };
            Thread other = Thread.ofPlatform().start(caller);
            caller.run();
            other.join();
            assertEquals(2 * 200 * 4, hits.get(0) + hits.get(1));
        }
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(IllegalArgumentException.class, () -> new WorkerPool(0));
    }
}
