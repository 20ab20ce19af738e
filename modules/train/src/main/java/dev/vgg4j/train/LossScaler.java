package dev.vgg4j.train;

import dev.vgg4j.core.Shape;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Dynamic loss scaling with {@code torch.amp.GradScaler}'s semantics and defaults, for training in
 * float16 ({@link dev.vgg4j.spi.Precision#FP16}), where gradients below 2^-24 would flush to zero.
 * A step is:
 * <pre>
 * scale(gradLogits)        d(scale * loss) / d logits, before the backward  (device op)
 * unscale(parameters)      every grad /= scale, foundInf = any grad inf or NaN  (device ops)
 * if update(): optimizer.step()
 * </pre>
 * {@link #update()} reads foundInf back (a sync point): with an inf or NaN the optimizer's step is
 * skipped and the scale halves; after {@code growthInterval} finite steps in a row it doubles. Scales
 * are powers of two, so scaling and unscaling are exact in float32 whenever nothing overflows.
 * Backend-agnostic: the unscale is {@link Backend#unscaleAndCheckFinite}.
 */
public final class LossScaler implements AutoCloseable {
    /** GradScaler's {@code init_scale}. */
    public static final float INITIAL_SCALE = 65536f;
    /** GradScaler's {@code growth_interval}: finite steps in a row before the scale doubles. */
    public static final int GROWTH_INTERVAL = 2000;
    private static final float BACKOFF_FACTOR = 0.5f;
    private static final float GROWTH_FACTOR = 2f;
    private static final String SCALE = "loss_scaler.scale";
    private static final String GOOD_STEPS = "loss_scaler.good_steps";
    private static final String SKIPPED_STEPS = "loss_scaler.skipped_steps";

    private final Backend backend;
    private final int growthInterval;
    /** [1]: 1 when this step's gradients held an inf or NaN. */
    private final Tensor foundInf;
    private final float[] host = new float[1];
    private float scale;
    /** Finite steps since the last growth or skip (GradScaler's growth tracker). */
    private int goodSteps;
    private long skippedSteps;

    /** GradScaler's defaults: scale 2^16, doubled after 2000 finite steps. */
    public LossScaler(Backend backend) {
        this(backend, INITIAL_SCALE, GROWTH_INTERVAL);
    }

    public LossScaler(Backend backend, float initialScale, int growthInterval) {
        if (!(initialScale > 0) || Float.isInfinite(initialScale)) {
            throw new IllegalArgumentException("initialScale: expected a positive, finite scale, got " + initialScale);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("growthInterval: expected at least 1 step, got " + growthInterval);
        }
        this.backend = backend;
        this.scale = initialScale;
        this.growthInterval = growthInterval;
        this.foundInf = backend.allocate(Shape.of(1), 0f);
    }

    /** The loss gradient {@code [N, K]} times the current scale, in place, before the backward. */
    public void scale(Tensor gradLogits) {
        backend.scale(gradLogits, scale);
    }

    /** Divides every parameter's gradient by the scale, noting any inf or NaN for {@link #update()}. */
    public void unscale(List<Parameter> parameters) {
        backend.fill(foundInf, 0f);
        float invScale = 1f / scale;
        for (Parameter p : parameters) {
            backend.unscaleAndCheckFinite(p.grad(), invScale, foundInf);
        }
    }

    /**
     * After {@link #unscale}: whether the optimizer's step should run (every gradient finite). A
     * skipped step halves the scale; the {@code growthInterval}-th finite step in a row doubles it,
     * unless that would overflow. A sync point.
     */
    public boolean update() {
        backend.download(foundInf, host);
        if (host[0] != 0f) {
            scale *= BACKOFF_FACTOR;
            goodSteps = 0;
            skippedSteps++;
            return false;
        }
        goodSteps++;
        if (goodSteps == growthInterval) {
            float grown = scale * GROWTH_FACTOR;
            scale = Float.isFinite(grown) ? grown : scale;
            goodSteps = 0;
        }
        return true;
    }

    public float currentScale() {
        return scale;
    }

    /** Finite steps in a row since the scale last changed or a step was skipped. */
    public int goodSteps() {
        return goodSteps;
    }

    /** Steps whose optimizer update was skipped for an inf or NaN gradient. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** The scale and the step counters as checkpoint metadata (GradScaler's state dict). */
    Map<String, String> stateMetadata() {
        return Map.of(SCALE, Float.toString(scale), GOOD_STEPS, Integer.toString(goodSteps),
                SKIPPED_STEPS, Long.toString(skippedSteps));
    }

    /** Restores {@link #stateMetadata()}; a checkpoint without it (trained unscaled) keeps the initial scale. */
    void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        if (!metadata.containsKey(SCALE)) {
            return;
        }
        double restored = CheckpointMetadata.getDouble(metadata, SCALE, source);
        if (!(restored > 0) || restored > Float.MAX_VALUE) {
            throw new CheckpointException(source + ": metadata '" + SCALE + "' = " + restored
                    + ", expected a positive, finite loss scale");
        }
        scale = (float) restored;
        goodSteps = (int) CheckpointMetadata.getLong(metadata, GOOD_STEPS, source);
        skippedSteps = CheckpointMetadata.getLong(metadata, SKIPPED_STEPS, source);
    }

    @Override
    public void close() {
        foundInf.close();
    }
}
