package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Winograd convolution allocates nothing once its workspace has grown and the JIT has compiled
 * its kernels: no per-chunk task objects, no per-call GEMM arguments, no boxed vectors. Counted on
 * the calling thread and the pool's workers; the shapes give two chunks of images per call, so
 * anything made per chunk or per GEMM shows.
 */
class WinogradAllocationTest {
    /** Rounds (forward + both backwards) allowed for the JIT to compile every kernel. */
    private static final int MAX_ROUNDS = 4_000;
    private static final int ZERO_ROUNDS_IN_A_ROW = 50;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * Bytes allocated so far by the pool's workers and this thread, read last: the workers are looked
     * up once, before, because the lookup itself allocates.
     */
    private static long allocated(long[] workers) {
        long sum = 0;
        for (long id : workers) {
            sum += THREADS.getThreadAllocatedBytes(id);
        }
        return sum + THREADS.getCurrentThreadAllocatedBytes();
    }

    private static long[] workerIds() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vgg4j-cpu-"))
                .mapToLong(Thread::threadId).toArray();
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void forwardAndBothBackwardsAllocateNothingAfterWarmUp(int threads) {
        // 8x8 maps give 16 tiles an image, so 20 images run as chunks of 16 and 4.
        Shape input = Shape.nchw(20, 8, 8, 8);
        Shape weight = Shape.nchw(12, 8, 3, 3);
        Shape output = Shape.nchw(20, 12, 8, 8);
        Conv2dSpec same = new Conv2dSpec(1, 1);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] x = random(rnd, input.size());
        float[] w = random(rnd, weight.size());
        float[] bias = random(rnd, 12);
        float[] y = new float[output.size()];
        float[] gx = new float[input.size()];
        float[] gw = new float[weight.size()];
        float[] gb = new float[12];
        try (WorkerPool pool = new WorkerPool(threads)) {
            WinogradConvolution conv = new WinogradConvolution(new PackedGemm(pool), pool, new Workspace());
            long[] workers = workerIds();
            assertEquals(threads - 1, workers.length, "the pool's workers");
            Runnable round = () -> {
                conv.forward(x, input, w, weight, bias, same, y);
                conv.backwardInput(y, w, weight, same, gx, input);
                conv.backwardWeight(x, input, y, same, gw, weight, gb);
            };
            // The JIT compiles, and may recompile, kernels while the rounds run: warm up until enough
            // rounds in a row allocate nothing. Anything made per chunk or per GEMM never gets there.
            int zeroInARow = 0;
            long lastBytes = -1;
            for (int r = 0; r < MAX_ROUNDS && zeroInARow < ZERO_ROUNDS_IN_A_ROW; r++) {
                long before = allocated(workers);
                round.run();
                long bytes = allocated(workers) - before;
                zeroInARow = bytes == 0 ? zeroInARow + 1 : 0;
                lastBytes = bytes == 0 ? lastBytes : bytes;
            }
            assertEquals(ZERO_ROUNDS_IN_A_ROW, zeroInARow, "rounds in a row without allocation within " + MAX_ROUNDS
                    + " rounds; the last round that allocated took " + lastBytes + " bytes");
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rnd.nextGaussian();
        }
        return a;
    }
}
