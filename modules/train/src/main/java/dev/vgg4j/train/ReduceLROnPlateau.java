package dev.vgg4j.train;

import dev.vgg4j.model.io.CheckpointException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau}, same state machine: each {@link #step}
 * counts the epoch; a metric better than the best so far (in {@code rel} mode: below
 * {@code best * (1 - threshold)}) resets the bad-epoch count, otherwise it grows; during cooldown
 * bad epochs are not counted; when more than {@code patience} epochs in a row were bad the rate
 * becomes {@code max(lr * factor, minLr)} (applied only if that lowers it by more than
 * {@code eps}), the cooldown starts and the count resets. The recipe's run reduces after epochs
 * 19, 22, 25 and 28 and prints {@code Epoch 00019: reducing learning rate of group 0 to 1.0000e-04.}
 */
public final class ReduceLROnPlateau implements LrScheduler {
    private static final String PREFIX = "scheduler.plateau.";

    /** Whether smaller ({@code MIN}, a loss) or larger ({@code MAX}, an accuracy) metrics are better. */
    public enum Mode { MIN, MAX }

    /** {@code REL}: improvement relative to the best; {@code ABS}: absolute. */
    public enum ThresholdMode { REL, ABS }

    /** PyTorch's arguments; {@link #defaults()} are its defaults, which the recipe uses. */
    public record Options(Mode mode, double factor, int patience, double threshold, ThresholdMode thresholdMode,
                          int cooldown, double minLr, double eps) {
        public Options {
            if (!(factor < 1.0) || !(factor >= 0)) {
                throw new IllegalArgumentException("ReduceLROnPlateau factor must be in [0, 1), got " + factor);
            }
            if (patience < 0 || cooldown < 0 || minLr < 0) {
                throw new IllegalArgumentException("ReduceLROnPlateau patience, cooldown and minLr must be >= 0");
            }
        }

        public static Options defaults() {
            return new Options(Mode.MIN, 0.1, 10, 1e-4, ThresholdMode.REL, 0, 0, 1e-8);
        }

        /** The recipe's {@code ReduceLROnPlateau(optimizer, factor=0.1, patience=2)}. */
        public static Options recipe() {
            return defaults().withPatience(2);
        }

        public Options withPatience(int newPatience) {
            return new Options(mode, factor, newPatience, threshold, thresholdMode, cooldown, minLr, eps);
        }

        public Options withCooldown(int newCooldown) {
            return new Options(mode, factor, patience, threshold, thresholdMode, newCooldown, minLr, eps);
        }

        public Options withMinLr(double newMinLr) {
            return new Options(mode, factor, patience, threshold, thresholdMode, cooldown, newMinLr, eps);
        }
    }

    private final Optimizer optimizer;
    private final Options options;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private long lastEpoch;

    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        this.optimizer = optimizer;
        this.options = options;
        this.best = options.mode() == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public Optional<String> step(double metric) {
        long epoch = ++lastEpoch;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > options.patience()) {
            Optional<String> message = reduce(epoch);
            cooldownCounter = options.cooldown();
            numBadEpochs = 0;
            return message;
        }
        return Optional.empty();
    }

    /** The best metric seen so far. */
    public double best() {
        return best;
    }

    private boolean isBetter(double metric) {
        double t = options.threshold();
        return switch (options.mode()) {
            case MIN -> options.thresholdMode() == ThresholdMode.REL ? metric < best * (1 - t) : metric < best - t;
            case MAX -> options.thresholdMode() == ThresholdMode.REL ? metric > best * (t + 1) : metric > best + t;
        };
    }

    private Optional<String> reduce(long epoch) {
        double old = optimizer.learningRate();
        double lr = Math.max(old * options.factor(), options.minLr());
        if (old - lr <= options.eps()) {
            return Optional.empty();
        }
        optimizer.setLearningRate(lr);
        return Optional.of(String.format(Locale.ROOT, "Epoch %05d: reducing learning rate of group 0 to %.4e.",
                epoch, lr));
    }

    @Override
    public Map<String, String> stateMetadata() {
        return Map.of(PREFIX + "best", Double.toString(best),
                PREFIX + "num_bad_epochs", Integer.toString(numBadEpochs),
                PREFIX + "cooldown_counter", Integer.toString(cooldownCounter),
                PREFIX + "last_epoch", Long.toString(lastEpoch));
    }

    @Override
    public void restoreMetadata(Map<String, String> metadata, String source) throws CheckpointException {
        best = CheckpointMetadata.getDouble(metadata, PREFIX + "best", source);
        numBadEpochs = (int) CheckpointMetadata.getLong(metadata, PREFIX + "num_bad_epochs", source);
        cooldownCounter = (int) CheckpointMetadata.getLong(metadata, PREFIX + "cooldown_counter", source);
        lastEpoch = CheckpointMetadata.getLong(metadata, PREFIX + "last_epoch", source);
    }
}
