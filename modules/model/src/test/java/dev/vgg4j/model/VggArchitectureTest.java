package dev.vgg4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.core.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Names, shapes and counts against torchvision. The full-size counts are the ones torchvision
 * documents for its ImageNet models (224x224, 1000 classes), whose classifier has the same three
 * Linears as the recipe; they are computed here from the layout, without allocating.
 */
class VggArchitectureTest {

    private static VggConfig imagenet(String name) {
        return VggConfig.named(name).withImageSize(224).withNumClasses(1000);
    }

    @ParameterizedTest
    @CsvSource({
        "vgg11, 132863336", "vgg11_bn, 132868840", "vgg13, 133047848", "vgg13_bn, 133053736",
        "vgg16, 138357544", "vgg16_bn, 138365992", "vgg19, 143667240", "vgg19_bn, 143678248"})
    void parameterCountsEqualTorchvision(String name, long torchvision) {
        assertEquals(torchvision, imagenet(name).parameterCount());
    }

    @Test
    void vgg16BnKeysAndShapesAreTorchvisions() {
        Map<String, Shape> shapes = imagenet("vgg16_bn").parameterShapes();
        assertEquals(Shape.nchw(64, 3, 3, 3), shapes.get("features.0.weight"));
        assertEquals(Shape.of(64), shapes.get("features.1.weight"));
        assertEquals(Shape.nchw(64, 64, 3, 3), shapes.get("features.3.weight"));
        assertEquals(Shape.nchw(128, 64, 3, 3), shapes.get("features.7.weight"));
        assertEquals(Shape.nchw(512, 512, 3, 3), shapes.get("features.40.weight"));
        assertEquals(Shape.of(512), shapes.get("features.41.bias"));
        assertEquals(Shape.matrix(4096, 25088), shapes.get("classifier.0.weight"));
        assertEquals(Shape.matrix(4096, 4096), shapes.get("classifier.3.weight"));
        assertEquals(Shape.matrix(1000, 4096), shapes.get("classifier.6.weight"));
        assertEquals(Shape.of(1000), shapes.get("classifier.6.bias"));
        // torchvision vgg16_bn: 13 convs and 13 BNs with weight and bias, 3 Linears with weight and bias.
        assertEquals(2 * (13 + 13 + 3), shapes.size());
    }

    @ParameterizedTest
    @CsvSource({"vgg11_bn, 132868840", "vgg16_bn, 138365992"})
    void torchvisionsClassifierHasTorchvisionsCountAtAnyInputSize(String name, long torchvision) {
        for (int size : List.of(32, 50, 224)) {
            VggConfig c = imagenet(name).withImageSize(size).withClassifier(ClassifierLayout.TORCHVISION);
            assertEquals(torchvision, c.parameterCount(), "at " + size);
            assertEquals(Shape.matrix(4096, 25088), c.parameterShapes().get("classifier.0.weight"));
        }
    }

    @Test
    void hiddenSizeIsSetApartFromTheWidthAndNonSquareImagesWork() {
        VggConfig c = VggConfig.named("vgg11_bn").withWidth(0.25).withImageSize(64, 32);
        assertEquals(1024, c.hiddenSize(), "4096 x width by default");
        assertEquals(Shape.matrix(1024, 128 * 2 * 1), c.parameterShapes().get("classifier.0.weight"));
        VggConfig h = c.withHidden(100);
        assertEquals(Shape.matrix(100, 256), h.parameterShapes().get("classifier.0.weight"));
        assertEquals(Shape.matrix(100, 100), h.parameterShapes().get("classifier.3.weight"));
        assertEquals(Shape.matrix(10, 100), h.parameterShapes().get("classifier.6.weight"));
    }

    @Test
    void dropoutIsSettableAndChecked() {
        assertEquals(0.5f, VggConfig.recipe().dropout());
        assertEquals(0f, VggConfig.recipe().withDropout(0f).dropout());
        assertThrows(IllegalArgumentException.class, () -> VggConfig.recipe().withDropout(1f));
        assertThrows(IllegalArgumentException.class, () -> VggConfig.recipe().withDropout(-0.1f));
    }

    @Test
    void recipeClassifierSeesOnePixelAt32And50() {
        for (int size : List.of(32, 50)) {
            VggConfig c = VggConfig.named("vgg16_bn").withImageSize(size);
            assertEquals(1, c.finalHeight());
            assertEquals(Shape.matrix(4096, 512), c.parameterShapes().get("classifier.0.weight"));
        }
        assertEquals(7, imagenet("vgg16_bn").finalHeight());
    }

    @Test
    void recipeModelCountIsTorchvisionFeaturesPlusTheRecipeClassifier() {
        long features = imagenet("vgg16_bn").parameterShapes().entrySet().stream()
                .filter(e -> e.getKey().startsWith("features.")).mapToLong(e -> e.getValue().size()).sum();
        // nn.Linear(512, 4096), nn.Linear(4096, 4096), nn.Linear(4096, 10) of the recipe.
        long classifier = (512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 10 + 10);
        assertEquals(features + classifier, VggConfig.recipe().parameterCount());
        assertEquals(138365992L - (25088L * 4096 + 4096 * 1000 + 1000) + (512 * 4096 + 4096 * 10 + 10),
                VggConfig.recipe().parameterCount());
    }

    @Test
    void withoutBatchNormConvsSitTwoApart() {
        Map<String, Shape> shapes = VggConfig.named("vgg11").parameterShapes();
        assertEquals(List.of("features.0", "features.3", "features.6", "features.8", "features.11", "features.13",
                "features.16", "features.18", "classifier.0", "classifier.3", "classifier.6"),
                shapes.keySet().stream().filter(k -> k.endsWith(".weight")).map(k -> k.replace(".weight", "")).toList());
    }

    @Test
    void widthMultiplierScalesChannelsAndHiddenWithAMinimumOfOne() {
        VggConfig c = VggConfig.named("vgg16_bn").withWidth(1.0 / 16).withInChannels(1);
        Map<String, Shape> shapes = c.parameterShapes();
        assertEquals(Shape.nchw(4, 1, 3, 3), shapes.get("features.0.weight"));
        assertEquals(Shape.nchw(32, 32, 3, 3), shapes.get("features.40.weight"));
        assertEquals(Shape.matrix(256, 32), shapes.get("classifier.0.weight"));
        assertEquals(Shape.matrix(10, 256), shapes.get("classifier.6.weight"));
        assertEquals(1, VggConfig.named("vgg11").withWidth(0.001).scaled(64));
    }

    @Test
    void customConfigListBuildsLikeTheRecipe() {
        VggConfig c = VggConfig.custom(List.of(8, "M", 16, 16, "M")).withImageSize(8);
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.4.weight", "features.4.bias", "features.5.weight", "features.5.bias",
                "features.7.weight", "features.7.bias", "features.8.weight", "features.8.bias",
                "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
                "classifier.6.weight", "classifier.6.bias"), List.copyOf(c.parameterShapes().keySet()));
        assertEquals(Shape.matrix(4096, 16 * 2 * 2), c.parameterShapes().get("classifier.0.weight"));
    }

    @Test
    void badConfigsNameTheProblem() {
        IllegalArgumentException tooSmall = assertThrows(IllegalArgumentException.class,
                () -> VggConfig.named("vgg16_bn").withImageSize(16));
        assertTrue(tooSmall.getMessage().contains("image size 16"), tooSmall.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> VggConfig.named("vgg17"));
        assertTrue(unknown.getMessage().contains("vgg16_bn"), unknown.getMessage());
        IllegalArgumentException element = assertThrows(IllegalArgumentException.class,
                () -> VggConfig.custom(List.of(64, "N")));
        assertTrue(element.getMessage().contains("N"), element.getMessage());
    }
}
