package dev.vgg4j.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@link SparkConf} of a vgg4j job. Local masters ({@code local[N]}, {@code local-cluster[...]})
 * stay on the loopback interface: the driver binds and advertises 127.0.0.1 and the web UI is off,
 * so a test or a laptop run sends nothing off the machine. Executors get the JVM options vgg4j
 * needs on JDK 25 (the Vector API module) and the parallel collector, after the user's own options
 * (which keep their choice of collector); Spark adds its own {@code --add-opens} list to them.
 * Executors get vgg4j's classes from the driver's class path (local masters) or from the jar this
 * class was loaded from, the assembly {@code vgg4j-spark.jar} (any other master).
 * A master URL that Spark would reject, or a standalone master that does not answer, fails here
 * with one line instead of a minute of Spark's retries.
 */
public final class SparkSetup {
    /** What vgg4j itself needs in every JVM that computes (the root pom's {@code vgg4j.jvm.args}). */
    public static final String VGG4J_JVM_OPTIONS = "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED";
    /**
     * An executor allocates and drops slice-sized arrays every step; G1 answers them with a
     * concurrent cycle per step that takes a core from the compute. The parallel collector's rare
     * pauses cost less: vgg16_bn's 2-worker step went from 3.6-4.1 s to 3.3 s (RESULTS.md, section 7).
     */
    static final String EXECUTOR_COLLECTOR = "-XX:+UseParallelGC";
    private static final Pattern CHOOSES_COLLECTOR = Pattern.compile("-XX:\\+Use\\w*GC\\b");
    private static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),(\\d+),(\\d+)]");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^:/,]+):(\\d+)");
    private static final int CONNECT_TIMEOUT_MS = 3000;

    private SparkSetup() {}

    /** A conf for {@code master}; throws {@link IllegalArgumentException} (one line) for a master it cannot use. */
    public static SparkConf conf(String master, String appName) {
        check(master);
        SparkConf conf = new SparkConf()
                .setMaster(master)
                .setAppName(appName)
                // Gradients are noise to LZ4: compressing them costs time and saves almost nothing.
                .set("spark.shuffle.compress", "false")
                .set("spark.broadcast.compress", "false");
        conf.set(EXECUTOR_OPTIONS, executorOptions(conf.get(EXECUTOR_OPTIONS, "")));
        if (isLocal(master)) {
            // executors on this machine read the driver's class path (class folders in tests, jars from
            // ./vgg4j), made absolute: they run in their own work folder
            conf.set("spark.executor.extraClassPath", absolute(System.getProperty("java.class.path")));
            conf.set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false");
        } else {
            conf.setJars(JavaSparkContext.jarOfClass(SparkSetup.class));
        }
        return conf;
    }

    /** The user's executor options (from --conf or spark-defaults), then what vgg4j needs that they lack. */
    static String executorOptions(String user) {
        StringBuilder options = new StringBuilder(user.strip());
        if (!user.contains("jdk.incubator.vector")) {
            options.append(' ').append(VGG4J_JVM_OPTIONS);
        }
        if (!CHOOSES_COLLECTOR.matcher(user).find()) {
            options.append(' ').append(EXECUTOR_COLLECTOR);
        }
        return options.toString().strip();
    }

    private static String absolute(String classPath) {
        return Arrays.stream(classPath.split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Whether the master runs on this machine only (driver, workers and executors on loopback). */
    public static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches() || LOCAL_CLUSTER.matcher(master).matches();
    }

    /** Throws one clear line when Spark could not start on {@code master}. */
    static void check(String master) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--spark: expected a master URL (local[2], local-cluster[2,1,2048],"
                    + " spark://HOST:7077, k8s://..., yarn), got nothing");
        }
        if (LOCAL.matcher(master).matches() || master.equals("yarn") || master.startsWith("k8s://")) {
            return;
        }
        Matcher cluster = LOCAL_CLUSTER.matcher(master);
        if (cluster.matches()) {
            checkLocalCluster(master);
            return;
        }
        Matcher standalone = STANDALONE.matcher(master);
        if (standalone.matches()) {
            checkAnswers(master, standalone.group(1), Integer.parseInt(standalone.group(2)));
            return;
        }
        throw new IllegalArgumentException("--spark: '" + master + "' is not a Spark master URL; expected local[N],"
                + " local-cluster[WORKERS,CORES,MEGABYTES], spark://HOST:PORT, k8s://... or yarn");
    }

    /** local-cluster starts executor JVMs from Spark's jars: it needs SPARK_HOME, and loopback binding. */
    private static void checkLocalCluster(String master) {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            throw new IllegalArgumentException("--spark " + master + ": needs SPARK_HOME set to a folder with Spark's"
                    + " jars/ (got " + home + "); ./vgg4j sets it to modules/spark/target/spark-home");
        }
        if (!"127.0.0.1".equals(System.getenv("SPARK_LOCAL_IP"))) {
            throw new IllegalArgumentException("--spark " + master + ": set SPARK_LOCAL_IP=127.0.0.1 so that the"
                    + " in-process master and workers listen on loopback only (./vgg4j does this)");
        }
    }

    private static void checkAnswers(String master, String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IllegalArgumentException("--spark " + master + ": no Spark master answers at " + host + ":" + port
                    + " (" + e.getMessage() + ")");
        }
    }
}
