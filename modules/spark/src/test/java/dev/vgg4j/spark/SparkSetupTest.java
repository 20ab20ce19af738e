package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkSetupTest {

    @Test
    void localMastersStayOnLoopback() {
        SparkConf conf = SparkSetup.conf("local[2]", "test");
        assertEquals("127.0.0.1", conf.get("spark.driver.host"));
        assertEquals("127.0.0.1", conf.get("spark.driver.bindAddress"));
        assertEquals("false", conf.get("spark.ui.enabled"));
        assertTrue(conf.get("spark.executor.extraJavaOptions").contains("jdk.incubator.vector"));
        for (String entry : conf.get("spark.executor.extraClassPath").split(File.pathSeparator)) {
            assertTrue(Path.of(entry).isAbsolute(), "executors run in their own folder: " + entry + " must be absolute");
        }
    }

    @Test
    void executorsGetWhatVgg4jNeedsAfterTheUsersOptions() {
        assertEquals(SparkSetup.VGG4J_JVM_OPTIONS + " -XX:+UseParallelGC", SparkSetup.executorOptions(""));
        assertEquals("-Xss4m " + SparkSetup.VGG4J_JVM_OPTIONS + " -XX:+UseParallelGC",
                SparkSetup.executorOptions(" -Xss4m"));
        // the user's collector stays the only one (two would stop the executor JVM), their module options stand
        assertEquals("--add-modules=jdk.incubator.vector -XX:+UseG1GC",
                SparkSetup.executorOptions("--add-modules=jdk.incubator.vector -XX:+UseG1GC"));
        assertEquals("-XX:+UseZGC " + SparkSetup.VGG4J_JVM_OPTIONS, SparkSetup.executorOptions("-XX:+UseZGC"));
    }

    @Test
    void aMalformedMasterIsOneClearLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkSetup.conf("locale[2]", "test"));
        assertEquals("--spark: 'locale[2]' is not a Spark master URL; expected local[N], local-cluster[WORKERS,CORES,MEGABYTES],"
                + " spark://HOST:PORT, k8s://... or yarn", e.getMessage());
    }

    @Test
    void aMasterThatDoesNotAnswerIsOneClearLine() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort(); // free once closed: nothing listens there
        }
        String master = "spark://127.0.0.1:" + port;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkSetup.conf(master, "test"));
        assertTrue(e.getMessage().startsWith("--spark " + master + ": no Spark master answers at 127.0.0.1:" + port),
                e.getMessage());
    }
}
