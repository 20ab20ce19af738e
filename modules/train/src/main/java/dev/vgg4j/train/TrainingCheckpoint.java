package dev.vgg4j.train;

import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Checkpoints;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint is one safetensors file: the model's state dict under torchvision's
 * names (loadable by PyTorch), the optimizer's state tensors under {@code optimizer.*}, and in the
 * metadata the model config, the dropout seed counter, the optimizer's step count and learning
 * rate, the scheduler's counters, the loss scaler's scale and counters (when it has one) and the trainer's progress (epochs done, best validation loss,
 * the training loader's seed, which with the epoch fixes its shuffle and augmentation, and the
 * first batch's loss that {@link DivergenceRule} compares later losses with).
 */
final class TrainingCheckpoint {
    static final String EPOCHS_COMPLETED = "trainer.epochs_completed";
    static final String BEST_VAL_LOSS = "trainer.best_val_loss";
    static final String LOADER_SEED = "trainer.train_loader_seed";
    /** The running epoch's {@link EpochProgress}; absent (or 0 batches) at an epoch's end. */
    static final String EPOCH_BATCHES = "trainer.epoch.batches_done";
    static final String EPOCH_LOSS = "trainer.epoch.summed_loss";
    static final String EPOCH_CORRECT = "trainer.epoch.correct";
    static final String EPOCH_SAMPLES = "trainer.epoch.samples";
    /** The divergence rule's reference; absent in checkpoints of runs that had not trained a batch. */
    static final String FIRST_BATCH_LOSS = "trainer.first_batch_loss";

    private TrainingCheckpoint() {}

    static void save(Trainer trainer, Path file) throws IOException {
        List<TensorEntry> extra = new ArrayList<>();
        for (Buffer b : trainer.optimizer().stateBuffers()) {
            extra.add(b.save());
        }
        Map<String, String> metadata = new LinkedHashMap<>(trainer.optimizer().stateMetadata());
        trainer.scheduler().ifPresent(s -> metadata.putAll(s.stateMetadata()));
        trainer.lossScaler().ifPresent(s -> metadata.putAll(s.stateMetadata()));
        metadata.put(EPOCHS_COMPLETED, Integer.toString(trainer.epochsCompleted()));
        metadata.put(BEST_VAL_LOSS, Double.toString(trainer.bestValidationLoss()));
        metadata.put(LOADER_SEED, Long.toString(trainer.dataSeed()));
        EpochProgress progress = trainer.epochProgress();
        metadata.put(EPOCH_BATCHES, Integer.toString(progress.batchesDone()));
        metadata.put(EPOCH_LOSS, Double.toString(progress.summedLoss()));
        metadata.put(EPOCH_CORRECT, Long.toString(progress.correct()));
        metadata.put(EPOCH_SAMPLES, Long.toString(progress.samples()));
        double firstBatchLoss = trainer.divergence().firstBatchLoss();
        if (!Double.isNaN(firstBatchLoss)) {
            metadata.put(FIRST_BATCH_LOSS, Double.toString(firstBatchLoss));
        }
        Checkpoints.save(trainer.model(), file, extra, metadata);
    }

    static void restore(Trainer trainer, Path file) throws IOException {
        SafeTensorsFile checkpoint = SafeTensors.read(file);
        String source = file.toString();
        Map<String, String> metadata = checkpoint.metadata();
        long loaderSeed = CheckpointMetadata.getLong(metadata, LOADER_SEED, source);
        long expectedSeed = trainer.dataSeed();
        if (loaderSeed != expectedSeed) {
            throw new CheckpointException(source + ": was trained with data seed " + loaderSeed
                    + ", this run uses " + expectedSeed + "; resume with the same seed to continue the same run");
        }
        int completed = (int) CheckpointMetadata.getLong(metadata, EPOCHS_COMPLETED, source);
        if (completed > trainer.epochs()) {
            throw new CheckpointException(source + ": already trained " + completed + " epochs, more than the "
                    + trainer.epochs() + " requested");
        }
        EpochProgress progress = epochProgress(metadata, source, trainer.batchesPerEpoch());
        Checkpoints.restore(trainer.model(), checkpoint);
        for (Buffer b : trainer.optimizer().stateBuffers()) {
            b.load(checkpoint.tensor(b.name()), source);
        }
        trainer.optimizer().restoreMetadata(metadata, source);
        if (trainer.scheduler().isPresent()) {
            trainer.scheduler().get().restoreMetadata(metadata, source);
        }
        if (trainer.lossScaler().isPresent()) {
            trainer.lossScaler().get().restoreMetadata(metadata, source);
        }
        trainer.restoreProgress(completed, progress, CheckpointMetadata.getDouble(metadata, BEST_VAL_LOSS, source));
        if (metadata.containsKey(FIRST_BATCH_LOSS)) {
            trainer.divergence().restoreFirstBatchLoss(CheckpointMetadata.getDouble(metadata, FIRST_BATCH_LOSS, source));
        }
    }

    /** The checkpoint's position inside its epoch; checkpoints from before positions were saved are at an epoch's end. */
    private static EpochProgress epochProgress(Map<String, String> metadata, String source, int batchesPerEpoch)
            throws CheckpointException {
        if (!metadata.containsKey(EPOCH_BATCHES)) {
            return EpochProgress.START;
        }
        long batches = CheckpointMetadata.getLong(metadata, EPOCH_BATCHES, source);
        if (batches < 0 || batches > batchesPerEpoch) {
            throw new CheckpointException(source + ": metadata '" + EPOCH_BATCHES + "' = " + batches + ", expected 0 to "
                    + batchesPerEpoch + " (the batches of an epoch of this run; was it trained with another batch size?)");
        }
        return new EpochProgress((int) batches, CheckpointMetadata.getDouble(metadata, EPOCH_LOSS, source),
                CheckpointMetadata.getLong(metadata, EPOCH_CORRECT, source),
                CheckpointMetadata.getLong(metadata, EPOCH_SAMPLES, source));
    }
}
