package dev.vgg4j.model;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Conv2dSpec;
import dev.vgg4j.spi.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's evaluation-mode forward for inference, built from its layers: each
 * {@code Conv2d, BatchNorm2d, ReLU} runs as one {@link Backend#conv2dReluForward} whose weight and
 * bias have the batch norm folded in, per output channel f with the batch norm's evaluation
 * {@code y = x * scale[f] + shift[f]}:
 * <pre>
 * w'[f, c, kh, kw] = w[f, c, kh, kw] * scale[f]        b'[f] = b[f] * scale[f] + shift[f]
 * </pre>
 * Linear + ReLU run as the linear then the ReLU in place, Dropout is left out, and pooling and
 * flattening run on layers of their own. Nothing is kept for a backward, and every output tensor
 * is the path's own, so inferring never touches what a training forward saved for its backward.
 *
 * <p>The folded weights are tensors of their own, computed on the host in double when the
 * network's weight version (see {@link Model#weightsChanged}) differs from the one they were
 * folded at: once per version, not per batch; the training weights are only read.
 */
final class InferencePath implements AutoCloseable {
    private static final Conv2dSpec SPEC = Conv2dSpec.VGG;

    /** One step of the path: input to output, the output owned by the step. */
    private interface Stage extends AutoCloseable {
        Tensor run(Tensor x);

        /** Derives again whatever the stage computed from the network's weights. */
        default void refold() {}

        @Override
        void close();
    }

    private final List<Stage> stages;
    /** The weight version the folded weights belong to; -1 before the first fold. */
    private long foldedVersion = -1;

    private InferencePath(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    /** The path of {@code layers} (a network's layers in forward order) on {@code backend}. */
    static InferencePath of(Backend backend, List<Layer> layers) {
        List<Stage> stages = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            switch (layer) {
                case Conv2d conv -> {
                    BatchNorm2d bn = i + 1 < layers.size() && layers.get(i + 1) instanceof BatchNorm2d b ? b : null;
                    int next = bn == null ? i + 1 : i + 2;
                    boolean relu = next < layers.size() && layers.get(next) instanceof ReLU;
                    stages.add(new ConvStage(backend, conv, bn, relu));
                    i = relu ? next : next - 1;
                }
                case Linear linear -> {
                    boolean relu = i + 1 < layers.size() && layers.get(i + 1) instanceof ReLU;
                    stages.add(new LinearStage(backend, linear, relu));
                    i += relu ? 1 : 0;
                }
                case Dropout dropout -> { } // the identity in evaluation mode
                case MaxPool2d pool -> stages.add(new LayerStage(new MaxPool2d(backend)));
                case AdaptiveAvgPool2d pool -> stages.add(new LayerStage(pool.withOwnBuffers()));
                case Flatten flatten -> stages.add(new LayerStage(new Flatten()));
                case ReLU r -> stages.add(new LayerStage(new ReLU(backend, true)));
                default -> throw new IllegalArgumentException("inference path: " + layer.getClass().getSimpleName()
                        + " at layer " + i + " has no inference form (a BatchNorm2d must follow a Conv2d)");
            }
        }
        return new InferencePath(stages);
    }

    /** Logits of {@code input}, folding again first when {@code weightVersion} moved on. */
    Tensor run(Tensor input, long weightVersion) {
        if (weightVersion != foldedVersion) {
            stages.forEach(Stage::refold);
            foldedVersion = weightVersion;
        }
        Tensor x = input;
        for (Stage stage : stages) {
            x = stage.run(x);
        }
        return x;
    }

    @Override
    public void close() {
        stages.forEach(Stage::close);
    }

    /** Conv2d [+ BatchNorm2d folded in] [+ ReLU fused]: input {@code [N, in, H, W]} -> {@code [N, out, H, W]}. */
    private static final class ConvStage implements Stage {
        private final Backend backend;
        private final Conv2d conv;
        private final BatchNorm2d bn;
        private final boolean relu;
        /** The folded weight {@code [out, in, 3, 3]} and bias {@code [out]}, or the conv's own without a batch norm. */
        private final Tensor weight;
        private final Tensor bias;
        private final OwnedTensor output;

        ConvStage(Backend backend, Conv2d conv, BatchNorm2d bn, boolean relu) {
            this.backend = backend;
            this.conv = conv;
            this.bn = bn;
            this.relu = relu;
            Tensor w = conv.params.weight().value();
            Tensor b = conv.params.bias().value();
            this.weight = bn == null ? w : backend.allocate(w.shape());
            this.bias = bn == null ? b : backend.allocate(b.shape());
            this.output = new OwnedTensor(backend);
        }

        @Override
        public void refold() {
            if (bn == null) {
                return;
            }
            BatchNorm2d.Affine affine = bn.evaluationAffine();
            float[] w = backend.download(conv.params.weight().value());
            float[] b = backend.download(conv.params.bias().value());
            int perFilter = w.length / b.length;
            for (int f = 0; f < b.length; f++) {
                double scale = affine.scale()[f];
                for (int i = f * perFilter; i < (f + 1) * perFilter; i++) {
                    w[i] = (float) (w[i] * scale);
                }
                b[f] = (float) (b[f] * scale + affine.shift()[f]);
            }
            backend.upload(w, weight);
            backend.upload(b, bias);
        }

        @Override
        public Tensor run(Tensor x) {
            Tensor y = output.of(conv.outputShape(x.shape()));
            if (relu) {
                backend.conv2dReluForward(x, weight, bias, SPEC, y);
            } else {
                backend.conv2dForward(x, weight, bias, SPEC, y);
            }
            return y;
        }

        @Override
        public void close() {
            if (bn != null) {
                LayerState.close(weight, bias);
            }
            output.close();
        }
    }

    /** Linear [+ ReLU in place]: x {@code [N, in]} -> y {@code [N, out]}. */
    private static final class LinearStage implements Stage {
        private final Backend backend;
        private final Linear linear;
        private final boolean relu;
        private final OwnedTensor output;

        LinearStage(Backend backend, Linear linear, boolean relu) {
            this.backend = backend;
            this.linear = linear;
            this.relu = relu;
            this.output = new OwnedTensor(backend);
        }

        @Override
        public Tensor run(Tensor x) {
            Shape out = linear.outputShape(x.shape());
            Tensor y = output.of(out);
            backend.linearForward(x, linear.params.weight().value(), linear.params.bias().value(), y);
            if (relu) {
                backend.reluForward(y, y);
            }
            return y;
        }

        @Override
        public void close() {
            output.close();
        }
    }

    /** A weightless layer (pooling, flattening) of the path's own, so its buffers are the path's. */
    private record LayerStage(Layer layer) implements Stage {
        @Override
        public Tensor run(Tensor x) {
            return layer.forward(x);
        }

        @Override
        public void close() {
            layer.close();
        }
    }
}
