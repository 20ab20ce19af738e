package dev.vgg4j.cli;

import dev.vgg4j.data.Dataset;
import dev.vgg4j.datasets.Digests;
import java.security.MessageDigest;

/** SHA-256 over every image's bytes and label, so {@code run.json} tells exactly which data a run saw. */
final class DatasetChecksum {
    private DatasetChecksum() {}

    /** The checksum of the given sets in order; null sets are skipped. */
    static String of(Dataset... sets) {
        MessageDigest sha = Digests.sha256();
        for (Dataset set : sets) {
            if (set == null) {
                continue;
            }
            byte[] image = new byte[set.imageBytes()];
            for (int i = 0; i < set.size(); i++) {
                set.copyImage(i, image, 0);
                sha.update(image);
                sha.update((byte) set.label(i));
            }
        }
        return Digests.hex(sha);
    }
}
