/**
 * The {@code vgg4j} command line (picocli): {@code demo}, {@code train}, {@code evaluate},
 * {@code predict} and {@code backends}, started by the {@code ./vgg4j} script at the repository root.
 *
 * <p>{@link dev.vgg4j.cli.TrainCommand} and {@link dev.vgg4j.cli.DemoCommand} turn flags into
 * {@link dev.vgg4j.cli.RunSettings}; {@link dev.vgg4j.cli.TrainingRun} builds the data, model,
 * optimizer and {@link dev.vgg4j.train.Trainer} from them, observed by three listeners:
 * {@link dev.vgg4j.cli.ConsoleReport} (progress bar and epoch lines), {@link dev.vgg4j.cli.RunFolder}
 * (metrics.csv, curves.png, checkpoints, run.json) and {@link dev.vgg4j.cli.InterruptCheckpoint}
 * (Ctrl-C). {@link dev.vgg4j.cli.ErrorReport} turns bad input into one line and exit code 2.
 */
package dev.vgg4j.cli;
