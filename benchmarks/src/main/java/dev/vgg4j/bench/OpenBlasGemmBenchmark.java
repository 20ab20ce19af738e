package dev.vgg4j.bench;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The same GEMMs as {@link GemmBenchmark} through OpenBLAS's {@code cblas_sgemm}, on native buffers: the peer. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OpenBlasGemmBenchmark {
    @Param({"1"})
    public int threads;

    @Param({"square/1024"})
    public String shape;

    private GemmShape g;
    private FloatPointer a;
    private FloatPointer b;
    private FloatPointer c;

    @Setup
    public void setUp() {
        g = VggLayers.gemm(shape);
        openblas.blas_set_num_threads(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        a = new FloatPointer(GemmBenchmark.random(rnd, g.m() * g.k()));
        b = new FloatPointer(GemmBenchmark.random(rnd, g.k() * g.n()));
        c = new FloatPointer((long) g.m() * g.n());
    }

    @Benchmark
    public FloatPointer gemm() {
        int lda = g.transA() ? g.m() : g.k();
        int ldb = g.transB() ? g.k() : g.n();
        openblas.cblas_sgemm(CblasRowMajor, g.transA() ? CblasTrans : CblasNoTrans,
                g.transB() ? CblasTrans : CblasNoTrans, g.m(), g.n(), g.k(), 1f, a, lda, b, ldb, 0f, c, g.n());
        return c;
    }

    @TearDown
    public void tearDown() {
        a.close();
        b.close();
        c.close();
    }
}
