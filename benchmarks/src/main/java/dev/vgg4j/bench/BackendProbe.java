package dev.vgg4j.bench;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.Backends;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks a JVM started with the forks' options whether a backend runs there and on which device. The
 * suite's own JVM cannot tell for tornado: TornadoVM's runtime is only on the forks' module path.
 *
 * <p>As a main ({@code BackendProbe NAME}) it prints one line, {@code available<TAB>device} or
 * {@code unavailable<TAB>reason}.
 */
final class BackendProbe {
    private static final String AVAILABLE = "available\t";
    private static final String UNAVAILABLE = "unavailable\t";

    /** What the probe found: the device description when available, else why not. */
    record Result(String backend, boolean available, String detail) {
        /** The report's line, e.g. {@code tornado: NVIDIA H100} or {@code tornado: skipped (reason)}. */
        String line() {
            return backend + ": " + (available ? detail : "skipped (" + detail + ")");
        }
    }

    private BackendProbe() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("BackendProbe: expected one backend name, got " + List.of(args));
        }
        System.out.println(describe(args[0]));
    }

    /** The one-line answer for {@code name} in this JVM. */
    static String describe(String name) {
        Optional<Backends.Info> info = Backends.list().stream().filter(i -> i.name().equals(name)).findFirst();
        if (info.isEmpty()) {
            return UNAVAILABLE + "no provider '" + name + "' on the benchmarks' class path";
        }
        if (!info.get().availability().available()) {
            return UNAVAILABLE + info.get().availability().reason();
        }
        try (Backend b = Backends.create(name, BackendOptions.defaults())) {
            return AVAILABLE + b.deviceDescription();
        }
    }

    /** Runs the probe for {@code backend} in a JVM started with {@code jvmArgs} and this JVM's class path. */
    static Result inChildJvm(String backend, List<String> jvmArgs) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(childJvm(jvmArgs, BackendProbe.class, backend)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return parse(backend, output, p.waitFor());
    }

    /** The command line of a JVM with this JVM's java and class path, {@code jvmArgs}, running {@code main args}. */
    static List<String> childJvm(List<String> jvmArgs, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** The probe's answer from the child's output (TornadoVM may log lines of its own before it). */
    static Result parse(String backend, String output, int exitCode) {
        List<String> lines = output.lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.startsWith(AVAILABLE)) {
                return new Result(backend, true, line.substring(AVAILABLE.length()));
            }
            if (line.startsWith(UNAVAILABLE)) {
                return new Result(backend, false, line.substring(UNAVAILABLE.length()));
            }
        }
        String tail = lines.isEmpty() ? "no output" : lines.getLast();
        return new Result(backend, false, "probe JVM exited with " + exitCode + ": " + tail);
    }
}
