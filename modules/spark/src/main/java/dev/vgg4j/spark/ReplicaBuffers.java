package dev.vgg4j.spark;

import dev.vgg4j.model.Buffer;
import dev.vgg4j.model.Model;
import dev.vgg4j.model.io.CheckpointException;
import dev.vgg4j.model.io.DType;
import dev.vgg4j.model.io.TensorEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The model's state besides its parameters, small enough to travel with every step's tasks: the
 * buffers (batch norm's running statistics and counters) and the dropout seed counter. Each worker
 * updates its replica's copy from its own shard; the driver averages them over the workers, as
 * PyTorch's DistributedDataParallel users do without SyncBatchNorm.
 */
record ReplicaBuffers(List<BufferValue> buffers, long dropoutState) implements Serializable {
    private static final String SOURCE = "the workers' buffers";

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

    static ReplicaBuffers of(Model model) {
        List<BufferValue> buffers = new ArrayList<>();
        for (Buffer b : model.buffers()) {
            buffers.add(BufferValue.of(b.save()));
        }
        return new ReplicaBuffers(buffers, model.dropoutSeeds().state());
    }

    /** Makes {@code model}'s buffers and dropout counter these. */
    void applyTo(Model model) throws CheckpointException {
        List<Buffer> targets = model.buffers();
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).load(buffers.get(i).entry(), SOURCE);
        }
        model.dropoutSeeds().restore(dropoutState);
    }

    /** The dropout counter, then every buffer's values, as doubles: what a worker reports after its step. */
    double[] toScalars() {
        List<Double> values = new ArrayList<>();
        values.add((double) dropoutState);
        for (BufferValue v : buffers) {
            for (int i = 0; i < v.size(); i++) {
                values.add(v.floats() != null ? v.floats()[i] : (double) v.longs()[i]);
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The average over workers of {@link #toScalars()} laid out from {@code scalars[at]} of each
     * worker's report, summed in worker order; shaped as {@code this}.
     */
    ReplicaBuffers averageOf(List<double[]> reports, int at) {
        int p = reports.size();
        double[] sum = new double[reports.getFirst().length - at];
        for (double[] r : reports) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += r[at + i];
            }
        }
        int i = 1;
        List<BufferValue> averaged = new ArrayList<>();
        for (BufferValue v : buffers) {
            float[] floats = v.floats() == null ? null : new float[v.size()];
            long[] longs = v.longs() == null ? null : new long[v.size()];
            for (int j = 0; j < v.size(); j++, i++) {
                if (floats != null) {
                    floats[j] = (float) (sum[i] / p);
                } else {
                    longs[j] = Math.round(sum[i] / p);
                }
            }
            averaged.add(new BufferValue(v.name(), v.shape(), floats, longs));
        }
        return new ReplicaBuffers(averaged, Math.round(sum[0] / p));
    }
}
