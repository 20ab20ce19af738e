package dev.vgg4j.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Conv2dSpec;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Winograd convolution (F(2x2), and F(4x4) for the forward and backward-data where it applies)
 * allocates nothing once its workspace has grown and the JIT has compiled its kernels: no per-chunk
 * task objects, no per-call GEMM arguments, no boxed vectors. Counted on the calling thread and the
 * pool's workers, on a narrow and a wide map (the two ways F(2x2)'s transforms run) and a 6x6 map
 * (F(2x2) in all three passes); each gives two chunks of images per call, so anything made per chunk
 * or per GEMM shows.
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
        // Narrow maps go across images, wide ones along tile rows; each shape runs as two chunks.
        // 8x8: 16 tiles an image, chunks of 16 and 4 images (a partial vector of images).
        Layer narrow = new Layer(Shape.nchw(20, 8, 8, 8), 12);
        // 4 x (4 * VL): 2 rows of 2 * VL tiles an image, chunks of 256 / (4 * VL) images, then 2.
        Layer wide = new Layer(Shape.nchw(256 / (4 * MicroKernel.VL) + 2, 8, 4, 4 * MicroKernel.VL), 12);
        // 6x6: 9 tiles an image, chunks of 24 and 6 images; F(4x4) would save nothing here.
        Layer small = new Layer(Shape.nchw(30, 8, 6, 6), 12);
        try (WorkerPool pool = new WorkerPool(threads)) {
            PackedGemm gemm = new PackedGemm(pool);
            WinogradConvolution conv = new WinogradConvolution(gemm, pool, new Workspace(),
                    new Winograd4x4(gemm, pool));
            long[] workers = workerIds();
            assertEquals(threads - 1, workers.length, "the pool's workers");
            assertNothingAllocatedAfterWarmUp(workers, () -> {
                narrow.run(conv);
                wide.run(conv);
                small.run(conv);
            });
        }
    }

    /** The inference path's F(4x4) forward with ReLU, on 7x7 maps (4 tiles an image, the last ones cut). */
    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void inferenceForwardAllocatesNothingAfterWarmUp(int threads) {
        // 4 tiles an image, so 80 images run as chunks of 64 and 16.
        Shape input = Shape.nchw(80, 8, 7, 7);
        Shape weight = Shape.nchw(12, 8, 3, 3);
        SplittableRandom rnd = new SplittableRandom(6);
        float[] x = random(rnd, input.size());
        float[] w = random(rnd, weight.size());
        float[] bias = random(rnd, 12);
        float[] y = new float[80 * 12 * 7 * 7];
        try (WorkerPool pool = new WorkerPool(threads)) {
            Winograd4x4 conv = new Winograd4x4(new PackedGemm(pool), pool);
            long[] workers = workerIds();
            assertEquals(threads - 1, workers.length, "the pool's workers");
            assertNothingAllocatedAfterWarmUp(workers, () -> conv.inferenceForward(x, input, w, weight, bias, y));
        }
    }

    /**
     * The JIT compiles, and may recompile, kernels while the rounds run: warm up until enough rounds
     * in a row allocate nothing. Anything made per chunk or per GEMM never gets there.
     */
    private static void assertNothingAllocatedAfterWarmUp(long[] workers, Runnable round) {
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

    /** One layer's tensors, x {@code [N, C, H, W]} and w {@code [F, C, 3, 3]}, from fixed random values. */
    private record Layer(Shape input, Shape weight, float[] x, float[] w, float[] bias, float[] y, float[] gx,
                         float[] gw, float[] gb) {
        private static final Conv2dSpec SAME = new Conv2dSpec(1, 1);

        Layer(Shape input, int filters) {
            this(input, Shape.nchw(filters, input.c(), 3, 3), new SplittableRandom(input.size()), filters);
        }

        private Layer(Shape input, Shape weight, SplittableRandom rnd, int filters) {
            this(input, weight, random(rnd, input.size()), random(rnd, weight.size()), random(rnd, filters),
                    new float[input.n() * filters * input.h() * input.w()], new float[input.size()],
                    new float[weight.size()], new float[filters]);
        }

        /** Forward, then both backwards with y as the output gradient. */
        void run(WinogradConvolution conv) {
            conv.forward(x, input, w, weight, bias, SAME, y);
            conv.backwardInput(y, w, weight, SAME, gx, input);
            conv.backwardWeight(x, input, y, SAME, gw, weight, gb);
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
