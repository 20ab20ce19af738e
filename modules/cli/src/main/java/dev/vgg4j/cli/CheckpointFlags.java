package dev.vgg4j.cli;

import dev.vgg4j.model.ImageSizes;
import dev.vgg4j.model.Pretrained;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --checkpoint} and {@code --image-size}, shared by the commands that run a trained model. */
final class CheckpointFlags {
    @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
            description = "A .safetensors checkpoint of vgg4j, or a plain PyTorch (torchvision) VGG state dict.")
    Path checkpoint;

    @Option(names = "--image-size", paramLabel = "S|HxW",
            description = "Input size of the model; required for a file without vgg4j metadata "
                    + "(default: the checkpoint's).")
    String imageSize;

    /** The checkpoint's model and weights; a missing file or a plain state dict without {@code --image-size} is bad input. */
    Pretrained read() throws IOException {
        if (Files.notExists(checkpoint)) {
            throw new BadInputException("--checkpoint: no file " + checkpoint);
        }
        return Pretrained.read(checkpoint, imageSize == null ? null : parseImageSize(imageSize));
    }

    /** {@code S} or {@code HxW}, or a {@link BadInputException} naming {@code --image-size}. */
    static int[] parseImageSize(String text) {
        try {
            return ImageSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--image-size: " + e.getMessage());
        }
    }
}
