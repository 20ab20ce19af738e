package dev.vgg4j.train;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.spi.Backend;
import java.util.LinkedHashMap;
import java.util.Map;

/** The test model {@link Mlp}'s config: input size, hidden width, dropout, classes and seed. */
record MlpConfig(int inChannels, int imageHeight, int imageWidth, int hidden, float dropout, int numClasses, long seed)
        implements ModelConfig {
    static final String NAME = "mlp";
    private static final String PREFIX = "vgg4j.model.mlp.";

    static MlpConfig defaults() {
        return new MlpConfig(1, 8, 8, 16, 0.5f, 2, 0L);
    }

    @Override
    public String family() {
        return MlpFamily.NAME;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MlpConfig withInChannels(int channels) {
        return new MlpConfig(channels, imageHeight, imageWidth, hidden, dropout, numClasses, seed);
    }

    @Override
    public MlpConfig withImageSize(int height, int width) {
        return new MlpConfig(inChannels, height, width, hidden, dropout, numClasses, seed);
    }

    @Override
    public MlpConfig withNumClasses(int classes) {
        return new MlpConfig(inChannels, imageHeight, imageWidth, hidden, dropout, classes, seed);
    }

    @Override
    public MlpConfig withSeed(long s) {
        return new MlpConfig(inChannels, imageHeight, imageWidth, hidden, dropout, numClasses, s);
    }

    @Override
    public Mlp create(Backend backend) {
        return new Mlp(backend, this);
    }

    @Override
    public Map<String, Shape> parameterShapes() {
        int in = inputShape(1).size();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("net.1.weight", Shape.matrix(hidden, in));
        shapes.put("net.1.bias", Shape.of(hidden));
        shapes.put("net.4.weight", Shape.matrix(numClasses, hidden));
        shapes.put("net.4.bias", Shape.of(numClasses));
        return shapes;
    }

    @Override
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(FAMILY_KEY, family());
        m.put(NAME_KEY, NAME);
        m.put(PREFIX + "shape", inChannels + "," + imageHeight + "," + imageWidth + "," + hidden + "," + numClasses);
        m.put(PREFIX + "dropout", Float.toString(dropout));
        m.put(PREFIX + "seed", Long.toString(seed));
        return m;
    }

    static MlpConfig fromMetadata(Map<String, String> m) {
        String[] d = m.get(PREFIX + "shape").split(",");
        return new MlpConfig(Integer.parseInt(d[0]), Integer.parseInt(d[1]), Integer.parseInt(d[2]),
                Integer.parseInt(d[3]), Float.parseFloat(m.get(PREFIX + "dropout")), Integer.parseInt(d[4]),
                Long.parseLong(m.get(PREFIX + "seed")));
    }
}
