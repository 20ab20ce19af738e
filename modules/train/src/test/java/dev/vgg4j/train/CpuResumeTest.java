package dev.vgg4j.train;

import dev.vgg4j.data.DataLoader;
import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ResumeScenario} on the {@code cpu} backend: resuming from a checkpoint repeats the
 * uninterrupted run bit for bit for a given thread count. The straight run goes first, while the
 * kernels are still interpreted or partly compiled, so a result that depended on JIT state would
 * show here.
 */
class CpuResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void resumedRunRepeatsTheUninterruptedOneExactly(int threads) throws IOException {
        try (Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(threads));
             DataLoader val = TinyTask.evalLoader("tiny-val", 40, 2)) {
            ResumeScenario.assertResumeRepeatsUninterruptedRun(cpu, val, dir);
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @ValueSource(ints = {1, 2})
    void aRunResumedFromInsideAnEpochRepeatsTheUninterruptedOneBitForBit(int threads) throws IOException {
        try (Backend cpu = Backends.create("cpu", BackendOptions.defaults().withThreads(threads));
             DataLoader val = TinyTask.evalLoader("tiny-val", 40, 2)) {
            ResumeScenario.assertInterruptedResumeRepeatsUninterruptedRun(cpu, val, dir);
        }
    }
}
