package dev.vgg4j.spark;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImageSize;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.EpochResult;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A training run small enough for a busy machine, on one process or on Spark: 3x16x16 noisy images
 * whose class is the brighter of the top and bottom halves, a two-block VGG at width 1/16 (channels
 * 4 and 8, hidden 256, with the recipe's dropout), Adam 1e-3, batch 16, cpu backend at 1 thread.
 */
final class SparkTraining {
    static final int IMAGES = 64;
    static final int BATCH = 16;

    private SparkTraining() {}

    static VggConfig config(boolean batchNorm) {
        return VggConfig.custom(List.of(64, "M", 128, "M")).withBatchNorm(batchNorm).withWidth(1.0 / 16)
                .withImageSize(16).withNumClasses(2).withSeed(11);
    }

    static Backend backend() {
        return Backends.create("cpu", BackendOptions.defaults().withThreads(1));
    }

    /** The run's final parameters (host copies, model order) and its epoch results. */
    record Outcome(List<float[]> parameters, List<EpochResult> epochs) {}

    /** Trains {@code epochs} epochs, with steps on {@code engine}, or in this process when it is null. */
    static Outcome train(VggConfig config, int epochs, SparkDataParallel engine) {
        return train(config, epochs, engine, null, null);
    }

    /**
     * As {@link #train(VggConfig, int, SparkDataParallel)}, continuing from {@code resume} when it is
     * not null (up to {@code epochs} in all), and writing {@code checkpoint} after every epoch when it is not null.
     */
    static Outcome train(VggConfig config, int epochs, SparkDataParallel engine, Path resume, Path checkpoint) {
        try (Backend backend = backend();
                Model model = config.create(backend);
                Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
                DataLoader train = new DataLoader(dataset(IMAGES, 1), pipeline(), DataLoader.Options.training(BATCH, 7));
                DataLoader validation = new DataLoader(dataset(BATCH, 2), pipeline(), DataLoader.Options.evaluation(BATCH))) {
            Trainer.Builder builder = Trainer.builder(model, adam).trainLoader(train).validationLoader(validation)
                    .epochs(epochs);
            if (engine != null) {
                builder.dataParallel(engine);
            }
            if (checkpoint != null) {
                builder.listener(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochResult epoch, Trainer trainer) {
                        try {
                            trainer.saveCheckpoint(checkpoint);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                });
            }
            try (Trainer trainer = builder.build()) {
                if (resume != null) {
                    trainer.resume(resume);
                }
                List<EpochResult> results = trainer.fit().epochs();
                List<float[]> parameters = new ArrayList<>();
                for (Parameter p : model.parameters()) {
                    parameters.add(backend.download(p.value()));
                }
                return new Outcome(parameters, results);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest |a - b| over all parameters, relative to the largest |a|. */
    static double relativeDifference(List<float[]> a, List<float[]> b) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < a.get(i).length; j++) {
                worst = Math.max(worst, Math.abs(a.get(i)[j] - b.get(i)[j]));
                scale = Math.max(scale, Math.abs(a.get(i)[j]));
            }
        }
        return worst / scale;
    }

    static Dataset dataset(int size, long seed) {
        return dataset(size, 16, seed);
    }

    /** {@code size} images [3, side, side]: class 0 has the brighter top half, class 1 the brighter bottom. */
    static Dataset dataset(int size, int side, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int plane = side * side;
        byte[] pixels = new byte[size * 3 * plane];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = random.nextInt(2);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < side; y++) {
                    boolean bright = (y < side / 2) == (labels[i] == 0);
                    for (int x = 0; x < side; x++) {
                        pixels[(i * 3 + c) * plane + y * side + x] = (byte) ((bright ? 130 : 50) + random.nextInt(70));
                    }
                }
            }
        }
        return new Dataset("halves-" + seed, pixels, labels, 3, side, side, List.of("top", "bottom"));
    }

    static ImagePipeline pipeline() {
        return ImagePipeline.recipe(new ImageSize(3, 16, 16), 16);
    }
}
