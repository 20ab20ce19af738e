package dev.vgg4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run is configured with, after the flags were checked.
 *
 * @param dataDir    where the dataset lives, or null for its default place
 * @param limitTrain train on about N images drawn from every class in proportion (after the split), 0 for all
 * @param backend    a backend name, or null for the highest-priority available one
 * @param out        the run folder ({@code --out}), or null for the resumed checkpoint's folder or a new
 *                   {@code runs/<timestamp>}
 * @param overwrite  replace an earlier run's files in {@code out} instead of refusing the folder
 * @param resume     a checkpoint to continue from, or null
 */
record RunSettings(DatasetChoice dataset, Path dataDir, boolean download, ModelChoice model,
                   int epochs, int batchSize, double lr, OptimizerChoice optimizer, boolean augment, int limitTrain,
                   double valFraction, String backend, int threads, long seed, Path out, boolean overwrite, Path resume) {

    /** The configuration as {@code run.json} records it. */
    Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("dataset", dataset.label());
        map.put("data_dir", dataDir == null ? null : dataDir.toString());
        model.describe(map);
        map.put("epochs", epochs);
        map.put("batch_size", batchSize);
        map.put("lr", lr);
        map.put("optimizer", optimizer.label());
        map.put("scheduler", "ReduceLROnPlateau(mode=min, factor=0.1, patience=2)");
        map.put("loss", "CrossEntropyLoss(reduction=sum)");
        map.put("augment", augment);
        map.put("limit_train", limitTrain);
        map.put("val_fraction", valFraction);
        map.put("seed", seed);
        map.put("resume", resume == null ? null : resume.toString());
        return map;
    }
}
