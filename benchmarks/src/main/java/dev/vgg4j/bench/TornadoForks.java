package dev.vgg4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options of the tornado forks, the suite's own plus {@code @ARGFILE} (TornadoVM's module
 * path, drivers and device, as tornado-config/jvm-args.sh writes them), and whether the tornado
 * backend runs with them: the answer of a {@link BackendProbe} in a JVM started the same way.
 */
record TornadoForks(List<String> jvmArgs, BackendProbe.Result probe) {
    static final String BACKEND = "tornado";

    TornadoForks {
        jvmArgs = List.copyOf(jvmArgs);
    }

    /** {@code argfile}: the {@code --tornado} argument, or null when the suite was started without it. */
    static TornadoForks check(Path argfile, String[] suiteArgs) throws IOException, InterruptedException {
        List<String> base = List.of(suiteArgs);
        if (argfile == null) {
            return skipped(base, "no --tornado ARGFILE; benchmarks/run.sh passes one when TORNADOVM_HOME is set");
        }
        if (!Files.isRegularFile(argfile)) {
            throw new IllegalArgumentException("--tornado " + argfile + ": no such file; expected the output of "
                    + "tornado-config/jvm-args.sh --out FILE");
        }
        if (Files.size(argfile) == 0) {
            return skipped(base, "--tornado " + argfile + " is empty: tornado-config/jvm-args.sh found no TornadoVM "
                    + "installation or device (its message says which)");
        }
        List<String> args = new ArrayList<>(base);
        args.add("@" + argfile.toAbsolutePath());
        return new TornadoForks(args, BackendProbe.inChildJvm(BACKEND, args));
    }

    private static TornadoForks skipped(List<String> jvmArgs, String reason) {
        return new TornadoForks(jvmArgs, new BackendProbe.Result(BACKEND, false, reason));
    }

    String[] jvmArgsArray() {
        return jvmArgs.toArray(String[]::new);
    }
}
