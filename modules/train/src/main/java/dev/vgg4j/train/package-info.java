/**
 * Training: {@link dev.vgg4j.train.CrossEntropyLoss}, optimizers ({@link dev.vgg4j.train.Adam},
 * {@link dev.vgg4j.train.Sgd}), learning-rate schedules ({@link dev.vgg4j.train.ReduceLROnPlateau},
 * {@link dev.vgg4j.train.EpochSchedule} for StepLR and cosine) and the {@link dev.vgg4j.train.Trainer}
 * that runs the recipe's loop on any {@link dev.vgg4j.model.Model}, observed by
 * {@link dev.vgg4j.train.TrainingListener}s. {@link dev.vgg4j.train.GradientStep} is the step without
 * the optimizer (gradients of a batch or of a data-parallel {@link dev.vgg4j.train.Shard}).
 *
 * <h2>The recipe in code</h2>
 * <pre>{@code
 * Backend backend = Backends.create("cpu");
 * Dataset[] parts = StratifiedSplit.split(cifarTrain, 0.1, seed);                 // 90/10
 * ImagePipeline pipeline = ImagePipeline.recipe(cifarTrain.imageSize(), 50);    // Resize(50), Normalize(.5,.5)
 * DataLoader train = new DataLoader(parts[0], pipeline, DataLoader.Options.training(128, seed));
 * DataLoader val = new DataLoader(parts[1], pipeline, DataLoader.Options.evaluation(128));
 * DataLoader test = new DataLoader(cifarTest, pipeline, DataLoader.Options.evaluation(128));
 * Model model = VggConfig.recipe().create(backend);
 * Adam adam = new Adam(backend, model.parameters(), AdamParams.adam(1e-3f));
 * try (Trainer trainer = Trainer.builder(model, adam)
 *         .scheduler(new ReduceLROnPlateau(adam, ReduceLROnPlateau.Options.recipe()))
 *         .reduction(Reduction.SUM)
 *         .trainLoader(train).validationLoader(val).testLoader(test)
 *         .epochs(30)
 *         .listener(new ConsoleLogger(System.out::println))                  // the recipe's lines
 *         .listener(ProgressLogger.linesPerEpoch(System.out::println, 10))   // ten lines an epoch
 *         .listener(MetricsRecorder.writingCsv(Path.of("runs/vgg16/metrics.csv")))
 *         .listener(new CheckpointWriter(Path.of("runs/vgg16")))             // last + best checkpoints
 *         .build()) {
 *     // trainer.resume(Path.of("runs/vgg16/last.safetensors"));  to continue a run
 *     TrainingResult result = trainer.fit();
 * }
 * }</pre>
 * The model, optimizer, loaders and backend belong to the caller, who closes them.
 */
package dev.vgg4j.train;
