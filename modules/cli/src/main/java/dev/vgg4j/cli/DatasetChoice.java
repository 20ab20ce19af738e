package dev.vgg4j.cli;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.data.FashionMnist;
import dev.vgg4j.datasets.Cifar10;
import dev.vgg4j.datasets.Downloader;
import dev.vgg4j.datasets.FashionMnistSample;
import dev.vgg4j.datasets.ImageFolder;
import dev.vgg4j.datasets.TrainAndTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The value of {@code --dataset}: {@code cifar10}, {@code fashion-mnist}, {@code fashion-mnist-sample}
 * (the one embedded in the jar) or {@code folder:PATH} (one sub-folder of images per class).
 */
record DatasetChoice(Kind kind, Path folder) {
    enum Kind { CIFAR10, FASHION_MNIST, FASHION_MNIST_SAMPLE, FOLDER }

    static final String VALUES = "cifar10, fashion-mnist, fashion-mnist-sample or folder:PATH";
    static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".vgg4j", "datasets");

    static DatasetChoice parse(String value) {
        if (value.startsWith("folder:") && value.length() > "folder:".length()) {
            return new DatasetChoice(Kind.FOLDER, Path.of(value.substring("folder:".length())));
        }
        return switch (value) {
            case "cifar10" -> new DatasetChoice(Kind.CIFAR10, null);
            case "fashion-mnist" -> new DatasetChoice(Kind.FASHION_MNIST, null);
            case "fashion-mnist-sample" -> new DatasetChoice(Kind.FASHION_MNIST_SAMPLE, null);
            default -> throw new BadInputException("--dataset: '" + value + "' is not a dataset; expected " + VALUES);
        };
    }

    /** A short name for run.json and titles. */
    String label() {
        return kind == Kind.FOLDER ? "folder:" + folder : kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The official train and test sets; a folder has no test set of its own, so its test part is
     * empty (null) and the caller splits validation off the training part as for the others.
     *
     * @param dataDir  {@code --data-dir}, or null for the dataset's default place
     * @param download whether CIFAR-10 may be downloaded when it is not in {@code dataDir}
     */
    Loaded load(Path dataDir, boolean download, PrintWriter out) throws IOException {
        return switch (kind) {
            case CIFAR10 -> loadCifar(dataDir == null ? DEFAULT_CACHE : dataDir, download, out);
            case FASHION_MNIST -> {
                Path dir = dataDir == null ? FashionMnist.DEFAULT_DIR : dataDir;
                refuseDownload(download);
                yield new Loaded(FashionMnist.load(dir, FashionMnist.Part.TRAIN), FashionMnist.load(dir, FashionMnist.Part.TEST));
            }
            case FASHION_MNIST_SAMPLE -> {
                refuseDownload(download);
                TrainAndTest sample = FashionMnistSample.load();
                yield new Loaded(sample.train(), sample.test());
            }
            case FOLDER -> {
                refuseDownload(download);
                yield new Loaded(ImageFolder.load(folder), null);
            }
        };
    }

    private static Loaded loadCifar(Path dataDir, boolean download, PrintWriter out) {
        TrainAndTest cifar;
        if (!Cifar10.isPresent(dataDir) && download) {
            out.println("Downloading CIFAR-10 from " + Cifar10.OFFICIAL.url() + " into " + dataDir);
            cifar = Cifar10.download(dataDir, Cifar10.OFFICIAL, new Downloader(new DownloadProgress(out)));
        } else {
            cifar = Cifar10.load(dataDir);
        }
        return new Loaded(cifar.train(), cifar.test());
    }

    private void refuseDownload(boolean download) {
        if (download) {
            throw new BadInputException("--download: only cifar10 can be downloaded, not " + label()
                    + (kind == Kind.FASHION_MNIST ? " (install it with: apt-get install dataset-fashion-mnist)" : ""));
        }
    }

    /** The images to train (and validate) on, and the held-out test set or null. */
    record Loaded(Dataset train, Dataset test) {}
}
