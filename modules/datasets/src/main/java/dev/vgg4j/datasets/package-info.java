/**
 * Where images come from: CIFAR-10's binary batches (folder or {@code .tar.gz}) with a verified
 * downloader ({@link dev.vgg4j.datasets.Cifar10}, {@link dev.vgg4j.datasets.Downloader}), a user's
 * image folder ({@link dev.vgg4j.datasets.ImageFolder}) and the Fashion-MNIST sample shipped in this
 * jar for the offline demo ({@link dev.vgg4j.datasets.FashionMnistSample}). Every reader produces a
 * {@link dev.vgg4j.data.Dataset}; bad input throws {@link dev.vgg4j.datasets.DatasetException} with a
 * message that names the file and what was expected.
 */
package dev.vgg4j.datasets;
