/**
 * The {@code vgg4j} command line (picocli): {@code demo}, {@code train}, {@code evaluate},
 * {@code predict} and {@code backends}, started by the {@code ./vgg4j} script at the repository root.
 *
 * <p>{@link dev.vgg4j.cli.TrainCommand} and {@link dev.vgg4j.cli.DemoCommand} turn flags into
 * {@link dev.vgg4j.cli.RunSettings}; {@link dev.vgg4j.cli.TrainingRun} builds the data, model,
 * optimizer and {@link dev.vgg4j.train.Trainer} from them, observed by listeners:
 * the trainer's {@link dev.vgg4j.train.ConsoleLogger} (epoch lines), a progress bar on a terminal
 * ({@link dev.vgg4j.cli.TerminalProgress}) or the trainer's {@link dev.vgg4j.train.ProgressLogger}
 * elsewhere, {@link dev.vgg4j.cli.RunFolder} (metrics.csv and checkpoints through the trainer's
 * {@link dev.vgg4j.train.MetricsRecorder} and {@link dev.vgg4j.train.CheckpointWriter}, curves.png,
 * run.json) and {@link dev.vgg4j.cli.InterruptCheckpoint} (Ctrl-C). {@link dev.vgg4j.cli.ErrorReport}
 * turns bad input into one line and exit code 2.
 */
package dev.vgg4j.cli;
