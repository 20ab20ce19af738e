package dev.vgg4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vgg4j.cli.Vgg4j;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vgg4j train --spark local[2] --spark-data partitioned} on CIFAR-format files written here. */
class PartitionedCommandLineTest {

    @Test
    void trainReadsTheWorkersPartsAndValidatesOnTheTestBatch(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        PartitionedDataTest.writeBatch(folder.resolve("data_batch_1.bin"), 1);
        PartitionedDataTest.writeBatch(folder.resolve("data_batch_2.bin"), 2);
        PartitionedDataTest.writeBatch(folder.resolve("test_batch.bin"), 3);
        PartitionedDataTest.writeMeta(folder);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new Vgg4j()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("train", "--dataset", "cifar10", "--data-dir", dir.toString(), "--model", "vgg11_bn",
                        "--width", "0.125", "--image-size", "32", "--epochs", "1", "--batch-size", "32", "--threads", "1",
                        "--seed", "1", "--spark", "local[2]", "--workers", "2", "--spark-data", "partitioned",
                        "--out", dir.resolve("run").toString());
        System.out.print(out);
        assertEquals(0, exitCode, err.toString());
        // two parts of 32 images fill 2 batches of 16 rows each: 64 images an epoch
        assertTrue(out.toString().contains(": 64 train / 32 val images"), out.toString());
        assertTrue(out.toString().contains("2 workers x cpu (1 thread each), each reading its own part of " + folder),
                out.toString());
        assertTrue(out.toString().contains("Epoch:  1/1 | Epoch Duration: "), out.toString());
    }
}
