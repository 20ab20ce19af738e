package dev.vgg4j.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JVM options of the tornado forks, the suite's own plus {@code @ARGFILE} (TornadoVM's module
 * path, drivers and device, as tornado-config/jvm-args.sh writes them), and whether the tornado
 * backend runs with them: the answer of a {@link BackendProbe} in a JVM started the same way.
 *
 * <p>TornadoVM's SDK puts its own jmh-core (1.29) on the module path; as an automatic module it is
 * resolved with TornadoVM's and would shadow the suite's JMH in the fork, which must run the same JMH
 * as the suite. The forks get a copy of the argfile without it.
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
        Path forkArgfile = Files.createTempFile("vgg4j-tornado-forks", ".args");
        forkArgfile.toFile().deleteOnExit();
        Files.write(forkArgfile, withoutJmh(Files.readAllLines(argfile, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(base);
        args.add("@" + forkArgfile);
        return new TornadoForks(args, BackendProbe.inChildJvm(BACKEND, args));
    }

    /** The argfile's lines with every jmh-core jar dropped from its module path. */
    static List<String> withoutJmh(List<String> argfileLines) {
        List<String> out = new ArrayList<>();
        for (String line : argfileLines) {
            if (!line.startsWith("--module-path")) {
                out.add(line);
                continue;
            }
            // "--module-path PATH" or "--module-path=PATH"
            int start = "--module-path".length() + 1;
            String path = Arrays.stream(line.substring(start).split(File.pathSeparator))
                    .filter(jar -> !Path.of(jar).getFileName().toString().startsWith("jmh-core-"))
                    .collect(Collectors.joining(File.pathSeparator));
            out.add(line.substring(0, start) + path);
        }
        return out;
    }

    private static TornadoForks skipped(List<String> jvmArgs, String reason) {
        return new TornadoForks(jvmArgs, new BackendProbe.Result(BACKEND, false, reason));
    }

    String[] jvmArgsArray() {
        return jvmArgs.toArray(String[]::new);
    }
}
