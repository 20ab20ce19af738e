package dev.vgg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.StratifiedSplit;
import dev.vgg4j.data.transform.ImagePipeline;
import dev.vgg4j.datasets.FashionMnistSample;
import dev.vgg4j.datasets.TrainAndTest;
import dev.vgg4j.model.Vgg;
import dev.vgg4j.model.VggConfig;
import dev.vgg4j.spi.AdamParams;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.train.Adam;
import dev.vgg4j.train.ConsoleLogger;
import dev.vgg4j.train.Predictor;
import dev.vgg4j.train.Trainer;
import dev.vgg4j.train.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The library example of README.md, line for line, so that the README stays true. */
class ReadmeExampleTest {

    @Test
    void readmeLibraryExampleTrainsAndPrintsEpochLines() {
        List<String> lines = new ArrayList<>();
        TrainingResult result;
        // --- README example starts (System.out::println and System.out.println replaced by lines::add) ---
        try (Backend backend = Backends.createDefault(BackendOptions.defaults());
             Vgg model = Vgg.create(backend, VggConfig.named("vgg11_bn").withWidth(0.125).withInChannels(1).withImageSize(32))) {
            TrainAndTest sample = FashionMnistSample.load();                    // real images shipped in the jar
            Dataset[] parts = StratifiedSplit.split(sample.train(), 0.1, 42);  // 90/10 train/validation
            ImagePipeline pipeline = ImagePipeline.recipe(sample.train().imageSize(), 32);
            Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
            try (Trainer trainer = Trainer.builder(model, adam)
                    .trainLoader(new DataLoader(parts[0], pipeline, DataLoader.Options.training(64, 42)))
                    .validationLoader(new DataLoader(parts[1], pipeline, DataLoader.Options.evaluation(256)))
                    .epochs(1).listener(new ConsoleLogger(lines::add)).build()) {
                result = trainer.fit();
            }
            byte[] image = new byte[sample.test().imageBytes()];
            sample.test().copyImage(0, image, 0);                               // one test image, as stored
            try (Predictor predictor = Predictor.of(model)) {                   // evaluation mode
                double[] p = predictor.probabilities(image, sample.test().imageSize());  // p[k]: class k
                lines.add(sample.test().classNames().get(0) + ": " + p[0]);
            }
        }
        // --- README example ends ---
        assertEquals(1, result.epochs().size());
        String last = lines.getLast();
        double p0 = Double.parseDouble(last.substring(last.lastIndexOf(' ') + 1));
        assertTrue(last.startsWith("T-shirt/top: ") && p0 > 0 && p0 < 1, last);
        assertTrue(lines.getFirst().startsWith("Epoch:  1/1 | Epoch Duration: "), lines.getFirst());
        assertTrue(result.epochs().getFirst().validation().accuracy() > 0.5,
                "one epoch on 3,600 real images should beat chance (0.1) by far: " + lines);
    }
}
