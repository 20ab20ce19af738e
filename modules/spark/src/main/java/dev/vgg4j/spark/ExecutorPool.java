package dev.vgg4j.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What an executor JVM keeps between steps (model replicas, backends), so that a step does not
 * rebuild them: one object per task running at once (local mode runs several tasks in one JVM),
 * keyed by the run and the kind of object. Nothing here is state of the run: a task loads the
 * run's state from the slices first, so a new executor computes what a warm one would.
 */
final class ExecutorPool {
    private static final Map<String, Queue<Item>> IDLE = new ConcurrentHashMap<>();

    /** Something that holds memory (a model, a backend) and frees it on close. */
    interface Item extends AutoCloseable {
        @Override
        void close();
    }

    @FunctionalInterface
    interface Maker<T> {
        T make() throws Exception;
    }

    private ExecutorPool() {}

    /** An idle object of {@code key}, or a new one. */
    static <T extends Item> T take(String key, Class<T> type, Maker<T> maker) throws Exception {
        Item idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        return idle != null ? type.cast(idle) : maker.make();
    }

    /** Returns an object after a task that completed; one whose task failed is closed instead by the caller. */
    static void giveBack(String key, Item item) {
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(item);
    }

    /** Frees the objects of {@code run} that live in this JVM (local mode: the driver's). */
    static void release(String run) {
        IDLE.keySet().removeIf(key -> {
            if (!key.startsWith(run + "/")) {
                return false;
            }
            IDLE.get(key).forEach(Item::close);
            return true;
        });
    }
}
