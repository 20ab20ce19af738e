package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SliceAllReduceTest {
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        // local[2,4]: two task threads, a failed task is retried up to 4 times (local mode's default is never).
        spark = new JavaSparkContext(SparkSetup.conf("local[2,4]", "SliceAllReduceTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<Integer> indices(int workers) {
        return IntStream.range(0, workers).boxed().toList();
    }

    private static float[] vector(int worker, int m) {
        SplittableRandom random = new SplittableRandom(1000 + worker);
        float[] v = new float[m];
        for (int i = 0; i < m; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The sum in worker order 0..P-1, as the reducers compute it. */
    private static float[] sequentialSum(int workers, int m) {
        float[] sum = new float[m];
        for (int w = 0; w < workers; w++) {
            float[] v = vector(w, m);
            for (int i = 0; i < m; i++) {
                sum[i] += v[i];
            }
        }
        return sum;
    }

    @Test
    void sumsEveryWorkersVectorInWorkerOrderBitForBit() {
        int m = 1001; // not a multiple of the worker count: slices of unequal length
        for (int workers : new int[] {1, 2, 3}) {
            SliceAllReduce.Sum sum = new SliceAllReduce(spark, workers, FloatBytes.FLOAT32)
                    .sum(indices(workers), w -> new SliceAllReduce.Contribution(vector(w, m), new double[] {w + 0.5, 1}));
            assertArrayEquals(sequentialSum(workers, m), sum.vector(), workers + " workers");
            assertEquals(workers * workers / 2.0, sum.scalars()[0], 1e-12);
            assertEquals(workers, sum.scalars()[1]);
        }
    }

    @Test
    void aRetriedTaskGivesTheSameBits() {
        int m = 4096;
        SliceAllReduce exchange = new SliceAllReduce(spark, 2, FloatBytes.FLOAT32);
        float[] clean = exchange.sum(indices(2), w -> new SliceAllReduce.Contribution(vector(w, m), new double[0])).vector();
        float[] retried = exchange.sum(indices(2), w -> {
            if (w == 1 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of worker 1's first attempt");
            }
            return new SliceAllReduce.Contribution(vector(w, m), new double[0]);
        }).vector();
        assertArrayEquals(clean, retried);
    }

    @Test
    void bfloat16TransportKeepsAboutThreeDigits() {
        int m = 2048;
        float[] exact = sequentialSum(2, m);
        float[] half = new SliceAllReduce(spark, 2, FloatBytes.BFLOAT16)
                .sum(indices(2), w -> new SliceAllReduce.Contribution(vector(w, m), new double[0])).vector();
        double worst = 0;
        for (int i = 0; i < m; i++) {
            // each addend is rounded to 8 significant bits (error <= 2^-8 of it), the sum to float32
            float bound = (Math.abs(vector(0, m)[i]) + Math.abs(vector(1, m)[i])) / 256f + Math.ulp(exact[i]);
            worst = Math.max(worst, Math.abs(half[i] - exact[i]) / bound);
        }
        assertTrue(worst <= 1.0 && worst > 0, "bf16 error / bound = " + worst);
    }

    @Test
    void bfloat16RoundsToNearestEven() {
        assertEquals((short) 0x3F80, FloatBytes.toBfloat16(1.0f));
        assertEquals((short) 0x3F80, FloatBytes.toBfloat16(Float.intBitsToFloat(0x3F808000))); // tie -> even
        assertEquals((short) 0x3F82, FloatBytes.toBfloat16(Float.intBitsToFloat(0x3F818000))); // tie -> even (up)
        assertEquals((short) 0x3F81, FloatBytes.toBfloat16(Float.intBitsToFloat(0x3F808001)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(FloatBytes.toBfloat16(Float.NaN) << 16)));
    }
}
