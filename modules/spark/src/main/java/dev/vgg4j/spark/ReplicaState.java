package dev.vgg4j.spark;

import dev.vgg4j.spi.Tensor;
import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.Parameter;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.TensorEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a replica needs to take the driver's step, broadcast once per step: the parameters
 * (flat, in {@code model.parameters()} order), the buffers (batch norm's running statistics and
 * counters) and the dropout seed counter. A replica that loads it is the driver's model, whatever
 * it computed before, so a task that Spark retries on any executor computes the same gradients.
 */
record ReplicaState(float[] parameters, List<BufferValue> buffers, long dropoutState) implements Serializable {
    private static final String SOURCE = "the driver's broadcast weights";

    /** One buffer's value: float32 ({@code floats}) or int64 ({@code longs}). */
    record BufferValue(String name, int[] shape, float[] floats, long[] longs) implements Serializable {
        static BufferValue of(TensorEntry e) {
            return e.dtype() == DType.F32
                    ? new BufferValue(e.name(), e.shape(), e.floats(), null)
                    : new BufferValue(e.name(), e.shape(), null, e.longs());
        }

        TensorEntry entry() {
            return floats != null ? TensorEntry.f32(name, shape, floats) : TensorEntry.i64(name, shape, longs);
        }

        int size() {
            return floats != null ? floats.length : longs.length;
        }
    }

    /** A host copy of the driver's model (waits for its pending ops). */
    static ReplicaState of(Model model) {
        List<Parameter> parameters = model.parameters();
        float[] flat = new float[Math.toIntExact(elements(parameters))];
        int at = 0;
        for (Parameter p : parameters) {
            at = downloadInto(p.value(), flat, at);
        }
        List<BufferValue> buffers = new ArrayList<>();
        for (Buffer b : model.buffers()) {
            buffers.add(BufferValue.of(b.save()));
        }
        return new ReplicaState(flat, buffers, model.dropoutSeeds().state());
    }

    /** Makes {@code model} (a replica of the same config) equal to the driver's model. */
    void applyTo(Model model) throws CheckpointException {
        uploadFrom(parameters, model.parameters(), Parameter::value);
        List<Buffer> targets = model.buffers();
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).load(buffers.get(i).entry(), SOURCE);
        }
        model.dropoutSeeds().restore(dropoutState);
    }

    static long elements(List<Parameter> parameters) {
        return parameters.stream().mapToLong(p -> p.value().size()).sum();
    }

    /** Copies {@code t} into {@code dst[at..]}; returns the index after it. */
    static int downloadInto(Tensor t, float[] dst, int at) {
        float[] values = t.backend().download(t);
        System.arraycopy(values, 0, dst, at, values.length);
        return at + values.length;
    }

    /** Uploads consecutive pieces of {@code flat} into {@code tensor.apply(parameter)}, in order. */
    static void uploadFrom(float[] flat, List<Parameter> parameters,
                           java.util.function.Function<Parameter, Tensor> tensor) {
        int at = 0;
        for (Parameter p : parameters) {
            Tensor t = tensor.apply(p);
            float[] piece = new float[t.size()];
            System.arraycopy(flat, at, piece, 0, piece.length);
            t.backend().upload(piece, t);
            at += piece.length;
        }
    }
}
