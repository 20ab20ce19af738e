package dev.vgg4j.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The backend's one pool: {@code threads - 1} daemon workers plus the calling thread run the tasks
 * of a {@link #parallelFor}. Threads are created once, in the constructor; a call hands out task
 * indices from one counter, so a slow core simply takes fewer tasks.
 */
final class WorkerPool implements AutoCloseable {
    private final Thread[] workers;
    private final AtomicInteger nextTask = new AtomicInteger();
    private IntConsumer body;
    private int taskCount;
    private int generation;
    private int running;
    private boolean closed;
    private Throwable failure;
    /** The thread inside {@link #parallelFor}, so that a task calling it again runs inline. */
    private volatile Thread caller;

    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("WorkerPool needs at least one thread, got " + threads);
        }
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name("vgg4j-cpu-" + (i + 1)).start(this::workLoop);
        }
    }

    int threads() {
        return workers.length + 1;
    }

    /**
     * Floats per task of {@link #parallelRanges}: large enough that waking a worker pays, and a
     * multiple of every vector length, so that a split array meets the same vector lanes and scalar
     * tail as a whole one (results do not depend on the thread count).
     */
    static final int RANGE = 1 << 16;

    /** Work on the elements {@code [from, to)} of an array. */
    interface Range {
        void run(int from, int to);
    }

    /** {@code body} over {@code [0, size)} in ranges of {@link #RANGE}, spread over the threads. */
    void parallelRanges(int size, Range body) {
        int tasks = (size + RANGE - 1) / RANGE;
        parallelFor(tasks, t -> body.run(t * RANGE, Math.min(size, (t + 1) * RANGE)));
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, tasks)} and returns when all are
     * done. Calls from inside a task run inline on that thread (no nested fan-out).
     */
    void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        if (workers.length == 0 || tasks == 1 || insideTask()) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        synchronized (workers) {
            // One fan-out at a time: a second outside thread waits here instead of overwriting the job.
            caller = Thread.currentThread();
            try {
                fanOut(tasks, body);
            } finally {
                caller = null;
            }
        }
    }

    /** Whether the current thread runs a task of this pool, where a {@link #parallelFor} runs inline. */
    boolean insideTask() {
        Thread current = Thread.currentThread();
        return current == caller || isWorker(current);
    }

    private void fanOut(int tasks, IntConsumer body) {
        synchronized (this) {
            this.body = body;
            this.taskCount = tasks;
            this.failure = null;
            nextTask.set(0);
            running = workers.length;
            generation++;
            notifyAll();
        }
        runTasks(body, tasks);
        Throwable error;
        synchronized (this) {
            while (running > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for cpu backend workers", e);
                }
            }
            this.body = null;
            error = failure;
        }
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error instanceof Error e) {
            throw e;
        }
    }

    private boolean isWorker(Thread t) {
        for (Thread w : workers) {
            if (w == t) {
                return true;
            }
        }
        return false;
    }

    private void runTasks(IntConsumer task, int tasks) {
        int i;
        while ((i = nextTask.getAndIncrement()) < tasks) {
            try {
                task.accept(i);
            } catch (Throwable t) {
                synchronized (this) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }
    }

    private void workLoop() {
        int seen = 0;
        while (true) {
            IntConsumer task;
            int tasks;
            synchronized (this) {
                while (generation == seen && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                seen = generation;
                task = body;
                tasks = taskCount;
            }
            runTasks(task, tasks);
            synchronized (this) {
                if (--running == 0) {
                    notifyAll();
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
