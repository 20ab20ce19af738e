/**
 * Data for training: the in-memory {@link dev.vgg4j.data.Dataset}, the MNIST/Fashion-MNIST IDX
 * reader ({@link dev.vgg4j.data.FashionMnist}, {@link dev.vgg4j.data.IdxFile}), the seeded
 * {@link dev.vgg4j.data.StratifiedSplit}, per-image transforms
 * ({@link dev.vgg4j.data.transform.ImagePipeline}: resize, normalize, random crop, flip) and the
 * background-threaded {@link dev.vgg4j.data.DataLoader}.
 *
 * <pre>{@code
 * Dataset all = FashionMnist.load(FashionMnist.DEFAULT_DIR, FashionMnist.Part.TRAIN);
 * Dataset[] parts = StratifiedSplit.split(all, 0.1, seed);          // train, val
 * ImagePipeline pipeline = ImagePipeline.recipe(all.imageSize(), 32);
 * try (DataLoader train = new DataLoader(parts[0], pipeline, DataLoader.Options.training(128, seed));
 *      DataLoader.Epoch epoch = train.epoch(0)) {
 *     while (epoch.hasNext()) {
 *         Batch b = epoch.next();        // b.images() [N, C, H, W], b.labels() [N]; valid until next()
 *     }
 * }
 * }</pre>
 */
package dev.vgg4j.data;
