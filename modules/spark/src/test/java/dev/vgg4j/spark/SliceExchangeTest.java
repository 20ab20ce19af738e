package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.SgdParams;
import dev.vgg4j.spi.Tensor;
import dev.vgg4j.train.Sgd;
import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.nio.ByteBuffer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.BlockManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exchange with SGD at learning rate 1 and momentum 0.9 from zero weights: after one step the
 * weights are minus the summed gradient and the momentum buffer is the sum, so both show the sum
 * bit for bit.
 */
class SliceExchangeTest {
    private static JavaSparkContext spark;
    private static Sgd sgd;
    private static Backend backend;
    private static Tensor value;
    private static Tensor grad;

    @BeforeAll
    static void start() {
        // local[2,4]: two task threads, a failed task is retried up to 4 times (local mode's default is never).
        spark = new JavaSparkContext(SparkSetup.conf("local[2,4]", "SliceExchangeTest"));
        backend = SparkTraining.backend();
        value = backend.allocate(Shape.of(1));
        grad = backend.allocate(Shape.of(1));
        sgd = new Sgd(backend, List.of(new Parameter("x", value, grad)), new SgdParams(1f, 0.9f, 0f, 0f, false));
    }

    @AfterAll
    static void stop() {
        sgd.close();
        value.close();
        grad.close();
        backend.close();
        spark.stop();
    }

    private static SliceExchange loaded(int workers, int m, FloatBytes transport) {
        SliceExchange exchange = new SliceExchange(spark, workers, m, 1, "cpu", 1, sgd.factory(), transport);
        exchange.load(FlatFloats.of(new float[m]), new float[m], sgd.stateMetadata());
        return exchange;
    }

    /** Worker w's gradient [M]. */
    private interface Gradient extends Serializable {
        float[] of(int worker);
    }

    /** What worker w reports, having read {@code weights} [M]. */
    private interface Scalars extends Serializable {
        double[] of(int worker, float[] weights);
    }

    /** A worker that reads the weights, gives {@code gradient.of(w)} and reports {@code scalars.of(w, weights)}. */
    private static SliceExchange.Worker<Integer> giving(int m, Gradient gradient, Scalars scalars) {
        return (w, slices) -> {
            float[] weights = new float[m];
            slices.readWeights(FlatFloats.of(weights));
            slices.writeGradient(FlatFloats.of(gradient.of(w)));
            return scalars.of(w, weights);
        };
    }

    private static float[] weights(SliceExchange exchange, int m) {
        float[] weights = new float[m];
        exchange.readWeights(FlatFloats.of(weights));
        return weights;
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

    private static float[] negated(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = -v[i];
        }
        return out;
    }

    @Test
    void sumsEveryWorkersGradientInWorkerOrderAndStepsEverySlice() {
        int m = 1001; // not a multiple of the worker count: slices of unequal length
        for (int workers : new int[] {1, 2, 3}) {
            try (SliceExchange exchange = loaded(workers, m, FloatBytes.FLOAT32)) {
                List<double[]> scalars = exchange.step(indices(workers),
                        giving(m, w -> vector(w, m), (w, weights) -> new double[] {w + 0.5, weights[m - 1]}), 1);
                float[] sum = sequentialSum(workers, m);
                assertArrayEquals(negated(sum), weights(exchange, m), workers + " workers");
                assertArrayEquals(sum, exchange.optimizerState(), workers + " workers: momentum buffers");
                assertEquals(workers, scalars.size());
                for (int w = 0; w < workers; w++) {
                    assertArrayEquals(new double[] {w + 0.5, 0}, scalars.get(w), "worker " + w + "'s report, in order");
                }
                assertEquals("1", exchange.optimizerMetadata().get("optimizer.steps"));
                // the second step's workers get the first step's weights, from every slice; with a zero
                // gradient the reducers' kept momentum moves the weights by 0.9 of it again
                List<double[]> seen = exchange.step(indices(workers), giving(m, w -> new float[m],
                        (w, weights) -> new double[] {weights[0], weights[m / 2], weights[m - 1]}), 1);
                for (double[] s : seen) {
                    assertArrayEquals(new double[] {-sum[0], -sum[m / 2], -sum[m - 1]}, s);
                }
                float[] twice = new float[m];
                for (int i = 0; i < m; i++) {
                    twice[i] = -sum[i] - 0.9f * sum[i];
                }
                assertArrayEquals(twice, weights(exchange, m), workers + " workers, second step");
            }
        }
    }

    @Test
    void aRetriedTaskGivesTheSameBits() {
        int m = 4096;
        float[] clean;
        try (SliceExchange exchange = loaded(2, m, FloatBytes.FLOAT32)) {
            exchange.step(indices(2), giving(m, w -> vector(w, m), (w, weights) -> new double[0]), 1);
            clean = weights(exchange, m);
        }
        try (SliceExchange exchange = loaded(2, m, FloatBytes.FLOAT32)) {
            exchange.step(indices(2), giving(m, w -> {
                if (w == 1 && TaskContext.get().attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure of worker 1's first attempt");
                }
                return vector(w, m);
            }, (w, weights) -> new double[0]), 1);
            assertArrayEquals(clean, weights(exchange, m));
        }
    }

    @Test
    void aLostSliceStopsTheStepWithItsCause() {
        int m = 64;
        try (SliceExchange exchange = loaded(2, m, FloatBytes.FLOAT32)) {
            SliceBlocks.remove(SliceBlocks.id(exchange.run(), "weights", 1, 0)); // as if its executor had died
            Exception e = assertThrows(Exception.class, () -> exchange.step(indices(2),
                    giving(m, w -> new float[m], (w, weights) -> new double[0]), 1));
            assertTrue(e.getMessage().contains("parameter slice test_vgg4j-" + exchange.run() + "-weights-1-v0 is lost"),
                    e.getMessage());
        }
    }

    @Test
    void bfloat16GradientsKeepAboutThreeDigits() {
        int m = 2048;
        float[] exact = sequentialSum(2, m);
        float[] half;
        try (SliceExchange exchange = loaded(2, m, FloatBytes.BFLOAT16)) {
            exchange.step(indices(2), giving(m, w -> vector(w, m), (w, weights) -> new double[0]), 1);
            half = negated(weights(exchange, m));
        }
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

    @Test
    void aBlocksRoomIsReusedOnlyOnceItsVersionIsDropped() {
        BlockManager blocks = SparkEnv.get().blockManager();
        String run = "room-test";
        BlockId first = SliceBlocks.id(run, "weights", 0, 0);
        ByteBuffer firstRoom = SliceBlocks.allocate(first, 64);
        firstRoom.putFloat(0, 1f);
        SliceBlocks.put(first, firstRoom);
        BlockId second = SliceBlocks.id(run, "weights", 0, 1);
        ByteBuffer secondRoom = SliceBlocks.allocate(second, 64);
        assertTrue(firstRoom != secondRoom, "version 0 is still held: its room is not free");
        SliceBlocks.put(second, secondRoom);
        assertTrue(firstRoom != SliceBlocks.allocate(SliceBlocks.id(run, "weights", 1, 2), 64), "another slice's shelf");

        blocks.removeBlock(first, false);
        ByteBuffer third = SliceBlocks.allocate(SliceBlocks.id(run, "weights", 0, 2), 64);
        assertTrue(firstRoom == third, "version 0 dropped: its room again");
        third.putFloat(0, 7f);
        float[] held = new float[16];
        SliceBlocks.readInto(second, held, 0);
        assertEquals(0f, held[0], "the held version's bytes are its own");
        blocks.removeBlock(second, false);
        SliceBlocks.release(run);
    }
}
