package dev.vgg4j.train;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A task small enough for the reference backend: 1x8x8 noisy images whose bright half (left or
 * right) is the class, and a two-block VGG-BN at width 1/16 (channels 4 and 8, hidden 256, with
 * the recipe's dropout).
 */
final class TinyTask {
    static final VggConfig CONFIG = VggConfig.custom(List.of(64, "M", 128, "M"))
            .withWidth(1.0 / 16).withInChannels(1).withImageSize(8).withNumClasses(2).withSeed(5);

    private TinyTask() {}

    static Dataset dataset(String name, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] pixels = new byte[size * 64];
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = random.nextInt(2);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean bright = (x < 4) == (labels[i] == 0);
                    pixels[i * 64 + y * 8 + x] = (byte) ((bright ? 140 : 40) + random.nextInt(80));
                }
            }
        }
        return new Dataset(name, pixels, labels, 1, 8, 8, List.of("left", "right"));
    }

    static DataLoader trainLoader(long seed) {
        return new DataLoader(dataset("tiny-train", 96, 1), pipeline(), DataLoader.Options.training(16, seed));
    }

    static DataLoader evalLoader(String name, int size, long seed) {
        return new DataLoader(dataset(name, size, seed), pipeline(), DataLoader.Options.evaluation(16));
    }

    static ImagePipeline pipeline() {
        return ImagePipeline.recipe(new dev.vgg4j.data.transform.ImageSize(1, 8, 8), 8);
    }

    /** A fresh model and its Adam optimizer (lr 1e-3, the recipe's). */
    static Vgg model(Backend backend) {
        return Vgg.create(backend, CONFIG);
    }

    static Adam adam(Backend backend, Vgg model) {
        return new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
    }
}
