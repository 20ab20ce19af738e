package dev.vgg4j.train;

import dev.vgg4j.data.Batch;
import dev.vgg4j.data.DataLoader;
import dev.vgg4j.model.Model;
import dev.vgg4j.spi.Reduction;
import dev.vgg4j.spi.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The recipe's training loop on any backend:
 * <pre>
 * for each epoch:
 *     for each training batch: forward, cross-entropy, backward, optimizer step  (one captured step)
 *     validation loss and accuracy
 *     scheduler.step(val_loss)
 *     listeners.onEpochEnd  (the recipe's line, checkpoints, metrics)
 * test-set evaluation
 * </pre>
 * Each training step is a {@link GradientStep} and the optimizer's step, run inside
 * {@code Backend.capture("train-step-<batch shape>", ...)}, so a GPU backend can replay it; the
 * batch is uploaded before and the loss downloaded after. A diverged run (see
 * {@link DivergenceRule}: a NaN or infinite loss, or an epoch's training or validation loss far
 * above the first batch's) stops with {@link TrainingDivergedException} before anything of that
 * step or epoch reaches a listener, so no checkpoint holds it. {@link #resume(Path)} restores a checkpoint written by
 * {@link #saveCheckpoint(Path)}; with the same seeds and thread count the resumed run repeats the
 * uninterrupted one. With {@link Builder#dataParallel} a data-parallel engine runs each training
 * step (gradients and optimizer update) on its replicas; this process's model and optimizer are
 * brought up to date before validation, a checkpoint and the end of {@link #fit()}; everything else
 * is the same loop.
 * With {@link Builder#lossScaler} the loss gradient is scaled and a step with inf or NaN gradients
 * skipped ({@link LossScaler}).
 */
public final class Trainer implements AutoCloseable {
    private final Model model;
    private final Optimizer optimizer;
    private final LrScheduler scheduler;
    private final GradientStep gradients;
    private final DataParallelStep dataParallel;
    /** Whether {@link #dataParallel} holds this process's model and optimizer state (false before the first step and after a resume). */
    private boolean replicasLoaded;
    /** Whether {@link #dataParallel} trained past this process's model and optimizer. */
    private boolean driverBehind;
    private final LossScaler lossScaler;
    private final Reduction reduction;
    private final DataLoader trainLoader;
    private final DataLoader validationLoader;
    private final DataLoader testLoader;
    private final int epochs;
    private final List<TrainingListener> listeners;
    private final DivergenceRule divergence = new DivergenceRule();
    private int epochsCompleted;
    /** The training pass of epoch {@code epochsCompleted + 1} so far. */
    private EpochProgress inEpoch = EpochProgress.START;
    private double bestValidationLoss = Double.POSITIVE_INFINITY;
    private Path lastCheckpoint;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.scheduler = b.scheduler;
        this.gradients = new GradientStep(b.model, b.reduction, b.lossScaler);
        this.dataParallel = b.dataParallel;
        this.lossScaler = b.lossScaler;
        this.reduction = b.reduction;
        this.trainLoader = b.trainLoader;
        this.validationLoader = b.validationLoader;
        this.testLoader = b.testLoader;
        this.epochs = b.epochs;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder(Model model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /** Trains from the epoch after {@link #epochsCompleted()} to the configured count, then evaluates the test set. */
    public TrainingResult fit() {
        listeners.forEach(l -> l.onTrainingStart(this, epochsCompleted + 1, epochs));
        List<EpochResult> results = new ArrayList<>();
        while (epochsCompleted < epochs) {
            EpochResult result = runEpoch(epochsCompleted + 1);
            results.add(result);
            listeners.forEach(l -> l.onEpochEnd(result, this));
        }
        syncFromReplicas();
        Optional<Evaluation> test = Optional.ofNullable(testLoader).map(this::evaluate);
        test.ifPresent(t -> listeners.forEach(l -> l.onTestEvaluated(t)));
        return new TrainingResult(results, test);
    }

    private EpochResult runEpoch(int epoch) {
        long start = System.nanoTime();
        double lr = optimizer.learningRate();
        model.train(true);
        long waitNanos = 0;
        Optional<DataParallelStep.OwnData> own = ownData();
        if (own.isPresent()) {
            for (int b = inEpoch.batchesDone(); b < batchesPerEpoch(); b++) {
                loadReplicas();
                afterStep(epoch, b, own.get().step(epoch - 1, b, optimizer.learningRate()));
            }
        } else {
            // After a resume from inside this epoch, the loader starts at the next batch: its shuffle and
            // augmentation depend on the epoch and the sample only, and the dropout counter is model state.
            try (DataLoader.Epoch batches = trainLoader.epoch(epoch - 1, inEpoch.batchesDone())) {
                while (batches.hasNext()) {
                    Batch batch = batches.next();
                    afterStep(epoch, batch.index(), trainStep(batch));
                }
                waitNanos = batches.waitNanos();
            }
        }
        long trainEnd = System.nanoTime();
        Evaluation validation = evaluate(validationLoader);
        Evaluation train = inEpoch.evaluation();
        Optional<String> stop = divergence.checkEpoch(train, validation);
        if (stop.isPresent()) {
            throw diverged(stop.get() + " after epoch " + epoch + "/" + epochs);
        }
        double duration = (System.nanoTime() - start) * 1e-9;
        Optional<String> lrMessage = scheduler == null ? Optional.empty() : scheduler.step(validation.loss());
        bestValidationLoss = Math.min(bestValidationLoss, validation.loss());
        epochsCompleted = epoch;
        inEpoch = EpochProgress.START;
        return new EpochResult(epoch, epochs, duration, validation, train, (trainEnd - start) * 1e-9, waitNanos * 1e-9, lr, lrMessage);
    }

    /** Checks step {@code batch}'s loss for divergence, adds it to the epoch's progress and tells the listeners. */
    private void afterStep(int epoch, int batch, CrossEntropyLoss.Result r) {
        Optional<String> stop = divergence.checkBatch(r.summedLoss() / r.samples());
        if (stop.isPresent()) {
            throw diverged(stop.get() + String.format(Locale.ROOT, " at epoch %d/%d, batch %d/%d", epoch,
                    epochs, batch + 1, batchesPerEpoch()));
        }
        inEpoch = inEpoch.plus(r);
        StepResult step = new StepResult(epoch, epochs, batch, batchesPerEpoch(), r.summedLoss(), r.correct(),
                r.samples(), optimizer.learningRate());
        listeners.forEach(l -> l.onStep(step));
    }

    /** images {@code [N, C, H, W]} -> one optimizer step; returns the downloaded loss. */
    private CrossEntropyLoss.Result trainStep(Batch batch) {
        if (dataParallel == null) {
            CrossEntropyLoss.Result r = gradients.computeAndApply(batch, optimizer);
            model.weightsChanged(); // the optimizer wrote the weights
            return r;
        }
        loadReplicas();
        return dataParallel.step(batch, optimizer.learningRate());
    }

    /** Before a data-parallel step: this process's model and optimizer to the replicas, if they do not hold them. */
    private void loadReplicas() {
        if (!replicasLoaded) {
            dataParallel.load(model, optimizer, reduction);
            replicasLoaded = true;
        }
        driverBehind = true;
    }

    private Optional<DataParallelStep.OwnData> ownData() {
        return dataParallel == null ? Optional.empty() : dataParallel.ownData();
    }

    /** After data-parallel steps: the replicas' weights and optimizer state into this process's model and optimizer. */
    private void syncFromReplicas() {
        if (driverBehind) {
            dataParallel.syncToDriver();
            model.weightsChanged(); // the engine wrote the weights and buffers
            driverBehind = false;
        }
    }

    /**
     * Loss and accuracy of the model in evaluation mode over every batch of {@code loader}, on the
     * model's inference path ({@link Model#infer}).
     */
    public Evaluation evaluate(DataLoader loader) {
        syncFromReplicas();
        double summedLoss = 0;
        long correct = 0;
        long samples = 0;
        try (DataLoader.Epoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                Batch batch = batches.next();
                Tensor images = gradients.upload(batch);
                CrossEntropyLoss loss = gradients.loss();
                loss.forward(model.infer(images), gradients.labels(batch.size()));
                CrossEntropyLoss.Result r = loss.downloadResult();
                summedLoss += r.summedLoss();
                correct += r.correct();
                samples += r.samples();
            }
        }
        return Evaluation.of(summedLoss, correct, samples);
    }

    /** @param what the rule that fired and where, e.g. "the validation loss is NaN after epoch 2/30" */
    private TrainingDivergedException diverged(String what) {
        String kept = lastCheckpoint == null
                ? "no checkpoint was written yet"
                : "the last good checkpoint is " + lastCheckpoint + " (epoch " + epochsCompleted + ")";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "training stopped, it diverged: %s (learning rate %.4e); %s. Lower the learning rate or check the"
                        + " input data.", what, optimizer.learningRate(), kept));
    }

    /** Writes model, optimizer, scheduler and trainer state to {@code file}, atomically. */
    public void saveCheckpoint(Path file) throws IOException {
        syncFromReplicas();
        TrainingCheckpoint.save(this, file);
        lastCheckpoint = file;
    }

    /**
     * Restores a checkpoint of {@link #saveCheckpoint}; {@link #fit()} then continues where it was
     * written: after its epoch, or at the next batch when it was written inside one.
     */
    public void resume(Path file) throws IOException {
        TrainingCheckpoint.restore(this, file);
        lastCheckpoint = file;
        replicasLoaded = false; // the next data-parallel step starts from the restored state
        driverBehind = false;
    }

    public Model model() {
        return model;
    }

    /** The step without the optimizer that {@link #fit()} runs, for callers that apply gradients themselves. */
    public GradientStep gradientStep() {
        return gradients;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    Optional<LossScaler> lossScaler() {
        return Optional.ofNullable(lossScaler);
    }

    Optional<LrScheduler> scheduler() {
        return Optional.ofNullable(scheduler);
    }

    /** Training batches in an epoch: the loader's, or the data-parallel engine's own data's. */
    public int batchesPerEpoch() {
        return ownData().map(DataParallelStep.OwnData::batchesPerEpoch).orElseGet(() -> trainLoader.batchesPerEpoch());
    }

    /** The seed of the training batches' shuffle and augmentation. */
    long dataSeed() {
        return ownData().map(DataParallelStep.OwnData::seed).orElseGet(() -> trainLoader.options().seed());
    }

    public int epochs() {
        return epochs;
    }

    public int epochsCompleted() {
        return epochsCompleted;
    }

    public double bestValidationLoss() {
        return bestValidationLoss;
    }

    /** Batches of epoch {@code epochsCompleted() + 1} trained so far (not 0 after a resume from inside an epoch). */
    public int batchesDoneInEpoch() {
        return inEpoch.batchesDone();
    }

    EpochProgress epochProgress() {
        return inEpoch;
    }

    void restoreProgress(int completed, EpochProgress progress, double best) {
        this.epochsCompleted = completed;
        this.inEpoch = progress;
        this.bestValidationLoss = best;
    }

    DivergenceRule divergence() {
        return divergence;
    }

    /** Frees the loss and batch tensors; the model, optimizer and loaders belong to the caller. */
    @Override
    public void close() {
        gradients.close();
    }

    /** Configures a {@link Trainer}; train and validation loaders are required. */
    public static final class Builder {
        private final Model model;
        private final Optimizer optimizer;
        private LrScheduler scheduler;
        private Reduction reduction = Reduction.SUM;
        private DataParallelStep dataParallel;
        private LossScaler lossScaler;
        private DataLoader trainLoader;
        private DataLoader validationLoader;
        private DataLoader testLoader;
        private int epochs = 1;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder(Model model, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        public Builder scheduler(LrScheduler s) {
            this.scheduler = s;
            return this;
        }

        /** The loss reduction; the recipe's {@code CrossEntropyLoss(reduction="sum")} is the default. */
        public Builder reduction(Reduction r) {
            this.reduction = Objects.requireNonNull(r, "reduction");
            return this;
        }

        /** Optional: training steps on a data-parallel engine's replicas instead of this process (the caller closes it). */
        public Builder dataParallel(DataParallelStep engine) {
            this.dataParallel = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * Optional: dynamic loss scaling, for a backend in {@link dev.vgg4j.spi.Precision#FP16} (the
         * caller closes it); a step whose gradients hold an inf or NaN is skipped.
         */
        public Builder lossScaler(LossScaler scaler) {
            this.lossScaler = Objects.requireNonNull(scaler, "scaler");
            return this;
        }

        public Builder trainLoader(DataLoader loader) {
            this.trainLoader = loader;
            return this;
        }

        public Builder validationLoader(DataLoader loader) {
            this.validationLoader = loader;
            return this;
        }

        /** Optional: evaluated once after the last epoch. */
        public Builder testLoader(DataLoader loader) {
            this.testLoader = loader;
            return this;
        }

        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + n);
            }
            this.epochs = n;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Trainer build() {
            boolean ownData = dataParallel != null && dataParallel.ownData().isPresent();
            if ((trainLoader == null) != ownData || validationLoader == null) {
                throw new IllegalStateException("a Trainer needs a validation loader, and a training loader unless its"
                        + " data-parallel engine's workers read their own training data (then none)");
            }
            if (lossScaler != null && dataParallel != null) {
                throw new IllegalStateException("loss scaling is not supported with a data-parallel engine: its replicas"
                        + " compute unscaled gradients");
            }
            for (DataLoader loader : new DataLoader[] {trainLoader, validationLoader, testLoader}) {
                if (loader != null) {
                    var c = model.config();
                    var size = loader.imageSize();
                    if (size.channels() != c.inChannels() || size.height() != c.imageHeight()
                            || size.width() != c.imageWidth()) {
                        throw new IllegalArgumentException("loader over " + loader.dataset().name() + " yields "
                                + size + " images, but " + c.name() + " expects "
                                + c.inChannels() + "x" + c.imageHeight() + "x" + c.imageWidth());
                    }
                }
            }
            return new Trainer(this);
        }
    }
}
