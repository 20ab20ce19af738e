package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Weights to start from: a vgg4j checkpoint (its config in the metadata) or a plain torchvision
 * state dict (its architecture read by {@link TorchvisionImport}, at an image size the caller
 * gives). {@link #load} rebuilds the model for inference; {@link #initialise} starts another
 * model (other classes, size or dropout) from it for fine-tuning.
 *
 * @param config the model the file holds
 * @param stateDict its tensors under the model's keys
 * @param source the file, for messages
 */
public record Pretrained(ModelConfig config, Map<String, TensorEntry> stateDict, String source) {

    /**
     * Reads {@code file}. A vgg4j checkpoint keeps its own image size unless {@code imageSize}
     * ({@code {height, width}}) is given; a plain state dict needs it: without it this is a
     * {@link CheckpointException} saying so.
     */
    public static Pretrained read(Path file, int[] imageSize) throws IOException {
        SafeTensorsFile checkpoint = SafeTensors.read(file);
        String source = file.toString();
        if (Models.isIn(checkpoint.metadata())) {
            ModelConfig config = Models.fromMetadata(checkpoint.metadata(), source);
            if (imageSize != null) {
                config = config.withImageSize(imageSize[0], imageSize[1]);
            }
            return new Pretrained(config, checkpoint.tensors(), source);
        }
        if (imageSize == null) {
            throw new CheckpointException(source + " has no vgg4j metadata (a plain PyTorch state dict?):"
                    + " give the image size it takes, e.g. --image-size 224");
        }
        VggConfig config = TorchvisionImport.config(checkpoint, imageSize[0], imageSize[1]);
        return new Pretrained(config, TorchvisionImport.withBatchCounters(TorchvisionImport.stateDict(checkpoint)), source);
    }

    /** The model the file holds, with its weights. */
    public Model load(Backend backend) throws CheckpointException {
        Model model = config.create(backend);
        try {
            model.loadStateDict(stateDict, source);
            return model;
        } catch (CheckpointException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Loads these weights into {@code model} (see {@link Checkpoints#initialise}); returns the
     * output-layer parameters that kept their fresh initialisation because the class count differs.
     */
    public List<String> initialise(Model model) throws CheckpointException {
        return Checkpoints.initialise(model, stateDict, source);
    }
}
