package dev.vgg4j.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What an executor JVM keeps between steps (model replicas, the reducers' slice optimizers), so
 * that a step does not rebuild them: one object per task running at once (local mode runs several
 * tasks in one JVM), keyed by the run and the kind of object. Nothing here is the run's state of
 * record: a replica loads the weights from the slices first, and a slice optimizer's tensors are a
 * copy of the version it stored, used only for a step from that version, so a new executor
 * computes what a warm one would.
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

    /** What a task does with a pooled object. */
    @FunctionalInterface
    interface Use<T, R> {
        R apply(T item) throws Exception;
    }

    /**
     * Runs {@code use} on an idle object of {@code key} (or a new one from {@code maker}) and
     * returns it to the pool; one whose use failed is closed instead (it may hold half-done work).
     */
    static <T extends Item, R> R with(String key, Class<T> type, Maker<T> maker, Use<T, R> use) throws Exception {
        Item idle = IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).poll();
        T item = idle != null ? type.cast(idle) : maker.make();
        R result;
        try {
            result = use.apply(item);
        } catch (Exception | Error e) {
            item.close();
            throw e;
        }
        IDLE.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(item);
        return result;
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
