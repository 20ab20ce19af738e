package dev.vgg4j.train;

import dev.vgg4j.model.io.CheckpointException;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongToDoubleFunction;

/**
 * A learning rate that is a function of the epoch count alone: PyTorch's {@code StepLR} and
 * {@code CosineAnnealingLR} (closed forms). After {@code t} calls to {@link #step} the rate is
 * {@code rate(t)}; the validation loss is ignored.
 */
public final class EpochSchedule implements LrScheduler {
    private final Optimizer optimizer;
    private final String name;
    private final LongToDoubleFunction rate;
    private long lastEpoch;

    private EpochSchedule(Optimizer optimizer, String name, LongToDoubleFunction rate) {
        this.optimizer = optimizer;
        this.name = name;
        this.rate = rate;
    }

    /** {@code StepLR(step_size, gamma)}: {@code lr = base * gamma^floor(t / stepSize)}. */
    public static EpochSchedule stepLr(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR step size must be >= 1, got " + stepSize);
        }
        double base = optimizer.learningRate();
        return new EpochSchedule(optimizer, "steplr", t -> base * Math.pow(gamma, Math.floorDiv(t, stepSize)));
    }

    /** {@code CosineAnnealingLR(T_max, eta_min)}: {@code lr = etaMin + (base - etaMin) * (1 + cos(pi * t / tMax)) / 2}. */
    public static EpochSchedule cosine(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR T_max must be >= 1, got " + tMax);
        }
        double base = optimizer.learningRate();
        return new EpochSchedule(optimizer, "cosine",
                t -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2);
    }

    @Override
    public Optional<String> step(double metric) {
        optimizer.setLearningRate(rate.applyAsDouble(++lastEpoch));
        return Optional.empty();
    }

    @Override
    public Map<String, String> stateMetadata() {
        return Map.of("scheduler." + name + ".last_epoch", Long.toString(lastEpoch));
    }

    @Override
    public void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        lastEpoch = CheckpointMetadata.getLong(metadata, "scheduler." + name + ".last_epoch", source);
    }
}
