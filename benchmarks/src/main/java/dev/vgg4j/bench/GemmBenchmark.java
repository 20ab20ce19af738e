package dev.vgg4j.bench;

import dev.vgg4j.core.Shape;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import dev.vgg4j.spi.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One {@code Backend.gemm} call ({@code C = op(A) op(B)}, beta 0) through the SPI, per backend and thread count. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class GemmBenchmark {
    /** A provider name: reference, cpu, or tornado (a TornadoVM device; its forks need jvm-args.sh's options). */
    @Param({"cpu"})
    public String backend;

    @Param({"1"})
    public int threads;

    @Param({"square/1024"})
    public String shape;

    private Backend b;
    private Fence fence;
    private GemmShape g;
    private Tensor a;
    private Tensor bm;
    private Tensor c;

    @Setup
    public void setUp() {
        g = VggLayers.gemm(shape);
        b = Backends.create(backend, BackendOptions.defaults().withThreads(threads));
        fence = new Fence(b);
        SplittableRandom rnd = new SplittableRandom(1);
        a = b.upload(random(rnd, g.m() * g.k()), g.transA() ? Shape.matrix(g.k(), g.m()) : Shape.matrix(g.m(), g.k()));
        bm = b.upload(random(rnd, g.k() * g.n()), g.transB() ? Shape.matrix(g.n(), g.k()) : Shape.matrix(g.k(), g.n()));
        c = b.allocate(Shape.matrix(g.m(), g.n()));
    }

    static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    @Benchmark
    public Tensor gemm() {
        b.gemm(g.transA(), g.transB(), 1f, a, bm, 0f, c);
        fence.await();
        return c;
    }

    @TearDown
    public void tearDown() {
        b.close();
    }
}
