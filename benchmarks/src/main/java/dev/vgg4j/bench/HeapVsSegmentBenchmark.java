package dev.vgg4j.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Which tensor storage suits the Vector API on this JDK: the same {@code y += a * x} and
 * dot-product loops over {@code float[]} and over native {@code MemorySegment}s. L2-resident
 * (64 Ki floats) and memory-bound (4 Mi floats) sizes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HeapVsSegmentBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Param({"65536", "4194304"})
    public int size;

    private float[] xa;
    private float[] ya;
    private Arena arena;
    private MemorySegment xs;
    private MemorySegment ys;

    @Setup
    public void setUp() {
        xa = new float[size];
        ya = new float[size];
        arena = Arena.ofShared();
        xs = arena.allocate((long) size * Float.BYTES, 64);
        ys = arena.allocate((long) size * Float.BYTES, 64);
        for (int i = 0; i < size; i++) {
            xa[i] = i % 7;
            ya[i] = i % 5;
            xs.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 7);
            ys.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 5);
        }
    }

    @Benchmark
    public float[] axpyHeap() {
        FloatVector a = FloatVector.broadcast(S, 0.5f);
        for (int i = 0; i < S.loopBound(size); i += S.length()) {
            FloatVector.fromArray(S, xa, i).fma(a, FloatVector.fromArray(S, ya, i)).intoArray(ya, i);
        }
        return ya;
    }

    @Benchmark
    public MemorySegment axpySegment() {
        FloatVector a = FloatVector.broadcast(S, 0.5f);
        ByteOrder o = ByteOrder.nativeOrder();
        for (long i = 0; i < S.loopBound(size); i += S.length()) {
            long off = i * Float.BYTES;
            FloatVector.fromMemorySegment(S, xs, off, o).fma(a, FloatVector.fromMemorySegment(S, ys, off, o))
                    .intoMemorySegment(ys, off, o);
        }
        return ys;
    }

    @Benchmark
    public float dotHeap() {
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < S.loopBound(size); i += S.length()) {
            acc = FloatVector.fromArray(S, xa, i).fma(FloatVector.fromArray(S, ya, i), acc);
        }
        return acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    @Benchmark
    public float dotSegment() {
        FloatVector acc = FloatVector.zero(S);
        ByteOrder o = ByteOrder.nativeOrder();
        for (long i = 0; i < S.loopBound(size); i += S.length()) {
            long off = i * Float.BYTES;
            acc = FloatVector.fromMemorySegment(S, xs, off, o).fma(FloatVector.fromMemorySegment(S, ys, off, o), acc);
        }
        return acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }
}
