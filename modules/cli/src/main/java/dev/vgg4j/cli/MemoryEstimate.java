package dev.vgg4j.cli;

import dev.vgg4j.model.ModelConfig;
import dev.vgg4j.model.VggConfig;
import java.util.Locale;

/**
 * The memory a training run will hold, estimated from its configuration before anything is
 * allocated, so that a run too big for the JVM is refused at once (in one line that says what to
 * change) instead of dying in an {@link OutOfMemoryError} minutes later. It counts, in float32:
 * <ul>
 *   <li>parameters and their gradients, and the optimizer's state (Adam 2, SGD 1 per parameter);</li>
 *   <li>the activations a step keeps, for a batch of {@code N}: every layer's output and input
 *       gradient ({@code [N, C, H, W]} each; max-pool also its argmax), which is what the VGG layers
 *       allocate for training;</li>
 *   <li>the convolution workspace (the cpu backend's im2col columns, {@code [C_in*9, H*W]} at least) and
 *       the loader's batches in flight.</li>
 * </ul>
 * It is a lower bound of what the run needs (the JVM also needs headroom for the dataset and the
 * garbage collector), computed in doubles so that an absurd flag cannot overflow it.
 */
record MemoryEstimate(double parameterBytes, double optimizerBytes, double activationBytes, double workspaceBytes) {
    private static final double FLOAT = 4;
    /** Batches the loader prepares ahead, plus the one being uploaded. */
    private static final int BATCHES_IN_FLIGHT = 5;

    /** @param optimizerSlots state tensors per parameter: 2 for Adam, 1 for SGD with momentum */
    static MemoryEstimate of(ModelConfig config, int batchSize, int optimizerSlots) {
        double parameters = config.parameterCount() * FLOAT;
        double activations = 0;
        double workspace = BATCHES_IN_FLIGHT * (double) batchSize * config.inChannels() * config.imageHeight()
                * config.imageWidth() * FLOAT;
        if (config instanceof VggConfig vgg) {
            double n = batchSize;
            double height = vgg.imageHeight();
            double width = vgg.imageWidth();
            int channels = vgg.inChannels();
            double columns = 0;
            for (Object layer : vgg.layers()) {
                double positions = height * width;
                if (layer instanceof Integer c) {
                    int out = vgg.scaled(c);
                    int layersInBlock = vgg.batchNorm() ? 3 : 2;        // conv, [batch norm,] ReLU
                    activations += n * positions * (2.0 * layersInBlock * out - out + channels);  // outputs and input gradients
                    columns = Math.max(columns, (channels * 9.0 + out) * Math.max(1024, positions));
                    channels = out;
                } else {
                    activations += n * channels * positions * 1.5;     // output and argmax at 1/4 size, input gradient
                    height = Math.floor(height / 2);
                    width = Math.floor(width / 2);
                }
            }
            activations *= FLOAT;
            workspace += columns * FLOAT;
        }
        return new MemoryEstimate(2 * parameters, optimizerSlots * parameters, activations, workspace);
    }

    double totalBytes() {
        return parameterBytes + optimizerBytes + activationBytes + workspaceBytes;
    }

    /**
     * Refuses, with a {@link BadInputException} naming the flags to change, a run that needs more than
     * {@code availableBytes}.
     */
    void check(double availableBytes, long maxHeapBytes, String flags) {
        if (totalBytes() <= availableBytes) {
            return;
        }
        String lower = activationBytes >= parameterBytes + optimizerBytes
                ? "lower --batch-size or --image-size" : "lower --width";
        throw new BadInputException(String.format(Locale.ROOT, "%s: training needs at least %s (weights and gradients %s,"
                        + " optimizer state %s, activations %s, workspace %s), but the JVM has %s free of its %s heap"
                        + " (Runtime.maxMemory); %s, or give the JVM more with VGG4J_JAVA_OPTS=-Xmx<size>",
                flags, gib(totalBytes()), gib(parameterBytes), gib(optimizerBytes), gib(activationBytes),
                gib(workspaceBytes), gib(availableBytes), gib(maxHeapBytes), lower));
    }

    private static String gib(double bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", Math.ceil(bytes / (1 << 20)));
    }
}
