package dev.vgg4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.openblas.global.openblas;

/**
 * Which kernel OpenBLAS picks in the forks' environment: OpenBLAS prints {@code Core: NAME} when it
 * loads with {@code OPENBLAS_VERBOSE=2}, so a child JVM with the same environment loads it and the
 * suite reads the line. {@code OPENBLAS_CORETYPE} forces a kernel (Haswell = AVX2, SkylakeX = AVX-512).
 */
final class OpenBlasCore {
    private static final Pattern CORE = Pattern.compile("Core: (\\S+)");

    private OpenBlasCore() {}

    /** Runs one small sgemm: OpenBLAS picks (and with OPENBLAS_VERBOSE=2 prints) its kernel on first use. */
    public static void main(String[] args) {
        float[] c = new float[4];
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, 2, 2, 2, 1f,
                new float[] {1, 2, 3, 4}, 2, new float[] {1, 0, 0, 1}, 2, 0f, c, 2);
        System.out.println("sgemm " + c[3]);
    }

    /** The report's line, e.g. {@code OpenBLAS kernel: SkylakeX (OPENBLAS_CORETYPE unset)}. */
    static String inChildJvm(List<String> jvmArgs) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(BackendProbe.childJvm(jvmArgs, OpenBlasCore.class)).redirectErrorStream(true);
        pb.environment().put("OPENBLAS_VERBOSE", "2");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        String coretype = System.getenv("OPENBLAS_CORETYPE");
        String env = "OPENBLAS_CORETYPE " + (coretype == null ? "unset" : "=" + coretype) + ", OPENBLAS_L2_SIZE "
                + (System.getenv("OPENBLAS_L2_SIZE") == null ? "unset" : "=" + System.getenv("OPENBLAS_L2_SIZE"));
        Matcher m = CORE.matcher(output);
        return "OpenBLAS kernel: " + (m.find() ? m.group(1) : "unknown (no 'Core:' line from OPENBLAS_VERBOSE=2)")
                + " (" + env + ")";
    }
}
