package dev.vgg4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TornadoForksTest {
    private static final String[] SUITE_ARGS = {"--add-modules=jdk.incubator.vector", "-Xmx6g"};

    @Test
    void withoutAnArgfileTornadoIsSkippedAndTheForksKeepTheSuiteOptions() throws Exception {
        TornadoForks f = TornadoForks.check(null, SUITE_ARGS);
        assertFalse(f.probe().available());
        assertTrue(f.probe().line().startsWith("tornado: skipped (no --tornado ARGFILE"), f.probe().line());
        assertEquals(List.of(SUITE_ARGS), f.jvmArgs());
    }

    @Test
    void anEmptyArgfileMeansJvmArgsFoundNoTornadoVm(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("tornado.args"));
        TornadoForks f = TornadoForks.check(empty, SUITE_ARGS);
        assertFalse(f.probe().available());
        assertTrue(f.probe().detail().contains("is empty"), f.probe().detail());
    }

    @Test
    void aMissingArgfileIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.args");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TornadoForks.check(missing, SUITE_ARGS));
        assertTrue(e.getMessage().contains("--tornado " + missing + ": no such file"), e.getMessage());
    }

    /** TornadoVM's jmh-core would shadow the suite's JMH in the forks; everything else stays as written. */
    @Test
    void theForksModulePathLosesOnlyJmh() {
        List<String> lines = List.of("-XX:+EnableJVMCI",
                "--module-path /sdk/asm-9.9.jar:/sdk/jmh-core-1.29.jar:/sdk/tornado-api-5.2.0-jdk25.jar",
                "--add-modules ALL-SYSTEM,tornado.runtime");
        assertEquals(List.of("-XX:+EnableJVMCI", "--module-path /sdk/asm-9.9.jar:/sdk/tornado-api-5.2.0-jdk25.jar",
                "--add-modules ALL-SYSTEM,tornado.runtime"), TornadoForks.withoutJmh(lines));
        assertEquals(List.of("--module-path=/sdk/a.jar"), TornadoForks.withoutJmh(List.of("--module-path=/sdk/a.jar:/x/jmh-core-1.37.jar")));
    }
}
