package dev.vgg4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Reduction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The step without the optimizer: gradients only, and the gradients of a batch's shards (with
 * dropout on) add up to the whole batch's, as a data-parallel trainer needs.
 */
class GradientStepTest {
    private final Backend backend = TestBackends.reference();

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void shardGradientsSumToTheWholeBatchsWithTheSameDropoutMasks(Reduction reduction) {
        Batch whole = firstBatch();
        int n = whole.size();
        MlpConfig config = MlpConfig.defaults().withSeed(9);
        try (Model model = config.create(backend); GradientStep step = new GradientStep(model, reduction)) {
            CrossEntropyLoss.Result all = step.compute(whole);
            List<float[]> expected = gradients(model);

            int[] cuts = {0, 5, 11, n};
            List<float[]> summed = null;
            double loss = 0;
            long correct = 0;
            for (int s = 0; s + 1 < cuts.length; s++) {
                model.dropoutSeeds().restore(0); // every replica draws the step's seeds from the same state
                CrossEntropyLoss.Result r = step.compute(rows(whole, cuts[s], cuts[s + 1]), new Shard(cuts[s], n));
                loss += r.summedLoss();
                correct += r.correct();
                summed = add(summed, gradients(model));
            }
            assertEquals(all.summedLoss(), loss, 1e-4 * Math.abs(all.summedLoss()));
            assertEquals(all.correct(), correct);
            for (int i = 0; i < expected.size(); i++) {
                assertClose(expected.get(i), summed.get(i), model.parameters().get(i).name());
            }
        }
    }

    @Test
    void shardsWithoutTheRowOffsetDrawOtherMasks() {
        Batch whole = firstBatch();
        try (Model model = MlpConfig.defaults().create(backend); GradientStep step = new GradientStep(model, Reduction.SUM)) {
            step.compute(rows(whole, 8, 16), new Shard(8, 16));
            float[] offset = gradients(model).getFirst();
            model.dropoutSeeds().restore(0);
            step.compute(rows(whole, 8, 16), new Shard(0, 16));
            assertFalse(Arrays.equals(offset, gradients(model).getFirst()), "the first row moves the masks");
        }
    }

    @Test
    void computingGradientsLeavesTheParametersToTheOptimizer() {
        Batch batch = firstBatch();
        try (Model model = MlpConfig.defaults().create(backend);
                GradientStep step = new GradientStep(model, Reduction.SUM);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-2f))) {
            float[] before = backend.download(model.parameters().getFirst().value());
            step.compute(batch);
            assertArrayEquals(before, backend.download(model.parameters().getFirst().value()));
            adam.step();
            assertFalse(Arrays.equals(before, backend.download(model.parameters().getFirst().value())));
        }
    }

    @Test
    void aShardMustFitInItsBatch() {
        Batch batch = firstBatch();
        try (Model model = MlpConfig.defaults().create(backend); GradientStep step = new GradientStep(model, Reduction.SUM)) {
            assertThrows(IllegalArgumentException.class, () -> step.compute(batch, new Shard(1, batch.size())));
            assertThrows(IllegalArgumentException.class, () -> new Shard(4, 4));
        }
    }

    private static Batch firstBatch() {
        try (DataLoader loader = TinyTask.trainLoader(3); DataLoader.Epoch epoch = loader.epoch(0)) {
            Batch b = epoch.next();
            return new Batch(0, b.images().clone(), b.labels().clone(), b.imageSize());
        }
    }

    private static Batch rows(Batch b, int from, int to) {
        int per = b.imageSize().channels() * b.imageSize().height() * b.imageSize().width();
        return new Batch(0, Arrays.copyOfRange(b.images(), from * per, to * per),
                Arrays.copyOfRange(b.labels(), from, to), b.imageSize());
    }

    private List<float[]> gradients(Model model) {
        List<float[]> g = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            g.add(backend.download(p.grad()));
        }
        return g;
    }

    private static List<float[]> add(List<float[]> sum, List<float[]> g) {
        if (sum == null) {
            return g;
        }
        for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < g.get(i).length; j++) {
                sum.get(i)[j] += g.get(i)[j];
            }
        }
        return sum;
    }

    private static void assertClose(float[] expected, float[] actual, String name) {
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], 1e-5 * scale + 1e-7, name + "[" + j + "]");
        }
    }
}
