package dev.vgg4j.spark;

import dev.vgg4j.model.Model;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.train.GradientStep;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The model replicas of one executor JVM, kept between steps so that a step does not rebuild the
 * model: one per task running at once (local mode runs several tasks in one JVM). A replica holds
 * no state of its own across steps: each step loads the broadcast {@link ReplicaState} first.
 */
final class Replicas {
    private static final Map<String, Queue<Replica>> IDLE = new ConcurrentHashMap<>();

    /** A model, its backend and its gradient step, used by one task at a time. */
    record Replica(Model model, GradientStep step) implements AutoCloseable {
        @Override
        public void close() {
            step.close();
            model.close();
            model.backend().close();
        }
    }

    private Replicas() {}

    /** An idle replica of {@code spec}'s run, or a new one. */
    static Replica take(ReplicaSpec spec, int taskCpus) throws CheckpointException {
        Replica idle = IDLE.computeIfAbsent(spec.run(), k -> new ConcurrentLinkedQueue<>()).poll();
        if (idle != null) {
            return idle;
        }
        Model model = spec.build(taskCpus);
        return new Replica(model, new GradientStep(model, spec.reduction()));
    }

    /** Returns a replica after a step that completed; one whose step failed is closed instead. */
    static void giveBack(ReplicaSpec spec, Replica replica) {
        IDLE.computeIfAbsent(spec.run(), k -> new ConcurrentLinkedQueue<>()).add(replica);
    }

    /** Frees the replicas of {@code run} that live in this JVM (local mode: the driver's). */
    static void release(String run) {
        Queue<Replica> idle = IDLE.remove(run);
        if (idle != null) {
            idle.forEach(Replica::close);
        }
    }
}
