package dev.vgg4j.model;

import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.SafeTensors;
import dev.vgg4j.model.io.SafeTensorsFile;
import dev.vgg4j.model.io.TensorEntry;
import dev.vgg4j.spi.Backend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model in a safetensors file: its state dict under PyTorch's names (loadable by PyTorch), any
 * extra tensors (optimizer state), and in the metadata the model's config, its dropout seed state
 * and extra entries (trainer state). {@link #load} rebuilds the model the config describes.
 */
public final class Checkpoints {
    /** Metadata key of the dropout seed counter. */
    public static final String DROPOUT_STATE_KEY = "vgg4j.model.dropout_seed_state";

    private Checkpoints() {}

    /**
     * Writes {@code model} atomically: the state dict, then {@code extraTensors}, with metadata = the
     * model config, the dropout seed state and {@code extraMetadata} (which must not reuse their keys).
     */
    public static void save(Model model, Path file, Collection<TensorEntry> extraTensors,
                            Map<String, String> extraMetadata) throws IOException {
        List<TensorEntry> tensors = new ArrayList<>(model.stateDict().values());
        tensors.addAll(extraTensors);
        Map<String, String> metadata = new LinkedHashMap<>(model.config().toMetadata());
        metadata.put(DROPOUT_STATE_KEY, Long.toString(model.dropoutSeeds().state()));
        for (Map.Entry<String, String> e : extraMetadata.entrySet()) {
            if (metadata.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException(file + ": metadata key " + e.getKey() + " is reserved by the model");
            }
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /** Writes the model alone. */
    public static void save(Model model, Path file) throws IOException {
        save(model, file, List.of(), Map.of());
    }

    /**
     * Writes {@code model}'s state dict alone, floats as {@code dtype} (F32, F16, BF16 or F64; the
     * batch counters stay I64), with the model config in the metadata: what PyTorch's
     * {@code load_state_dict} takes, and what {@link #load} rebuilds.
     */
    public static void export(Model model, Path file, DType dtype) throws IOException {
        List<TensorEntry> tensors = new ArrayList<>();
        for (TensorEntry e : model.stateDict().values()) {
            tensors.add(e.dtype().isFloat() ? TensorEntry.floats(e.name(), dtype, e.shape(), e.floats()) : e);
        }
        SafeTensors.write(file, tensors, model.config().toMetadata());
    }

    /**
     * Starts {@code model} from another model's weights (fine-tuning): every state-dict key is
     * loaded from {@code entries}, except that when the output layer (the last parameters, whose
     * first dimension is the class count) has another class count there, it keeps its fresh
     * initialisation. Returns the names of the parameters kept fresh (empty when all were loaded).
     */
    public static List<String> initialise(Model model, Map<String, TensorEntry> entries, String source)
            throws CheckpointException {
        Map<String, TensorEntry> merged = new LinkedHashMap<>(entries);
        List<String> fresh = new ArrayList<>();
        for (Parameter p : outputLayer(model)) {
            TensorEntry e = entries.get(p.name());
            int[] expected = p.value().shape().dims();
            if (e != null && e.shape().length == expected.length && e.shape()[0] != expected[0]
                    && Arrays.equals(Arrays.copyOfRange(e.shape(), 1, expected.length),
                            Arrays.copyOfRange(expected, 1, expected.length))) {
                merged.put(p.name(), p.save());
                fresh.add(p.name());
            }
        }
        model.loadStateDict(merged, source);
        return fresh;
    }

    /** The output layer's weight and bias: the last two parameters, when their first dimension is the class count. */
    private static List<Parameter> outputLayer(Model model) {
        List<Parameter> params = model.parameters();
        int classes = model.config().numClasses();
        List<Parameter> out = new ArrayList<>();
        for (int i = params.size() - 1; i >= 0 && out.size() < 2 && params.get(i).value().shape().dim(0) == classes; i--) {
            out.add(params.get(i));
        }
        return out;
    }

    /** A new model built from a checkpoint's config metadata, with its state and dropout seed state. */
    public static Model load(Backend backend, SafeTensorsFile checkpoint) throws CheckpointException {
        ModelConfig config = Models.fromMetadata(checkpoint.metadata(), checkpoint.file().toString());
        Model model = config.create(backend);
        try {
            restore(model, checkpoint);
            return model;
        } catch (CheckpointException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Reads {@code file} and builds the model it holds. */
    public static Model load(Backend backend, Path file) throws IOException {
        return load(backend, SafeTensors.read(file));
    }

    /**
     * Restores {@code model}'s state from a checkpoint. When the checkpoint has a vgg4j config it
     * must equal the model's; files without one (e.g. converted from PyTorch) are checked by keys
     * and shapes alone.
     */
    public static void restore(Model model, SafeTensorsFile checkpoint) throws CheckpointException {
        String source = checkpoint.file().toString();
        if (Models.isIn(checkpoint.metadata())) {
            ModelConfig stored = Models.fromMetadata(checkpoint.metadata(), source);
            if (!stored.equals(model.config())) {
                throw new CheckpointException(source + ": holds " + stored + ", expected " + model.config());
            }
        }
        model.loadStateDict(checkpoint.tensors(), source);
        String seeds = checkpoint.metadata().get(DROPOUT_STATE_KEY);
        if (seeds != null) {
            try {
                model.dropoutSeeds().restore(Long.parseLong(seeds));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(source + ": bad " + DROPOUT_STATE_KEY + " '" + seeds + "'");
            }
        }
    }
}
