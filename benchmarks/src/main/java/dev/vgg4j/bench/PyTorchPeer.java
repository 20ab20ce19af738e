package dev.vgg4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The peer of the report: {@code benchmarks/pytorch_peer.py} (the seed's VGG16-BN in PyTorch, fp32,
 * Adam, CE sum) run by a given Python in the same suite run. PyTorch is never a dependency of vgg4j:
 * when that Python cannot import torch, the report says so and carries on.
 */
final class PyTorchPeer {
    /** One case the script timed: kind {@code train} or {@code infer}, and its fastest iteration. */
    record Result(String kind, int batch, int size, int threads, double bestMs, String torch, String capability) {
        double imagesPerSecond() {
            return batch / (bestMs / 1000);
        }
    }

    /** What the peer run gave: results, or none and the reason it was skipped. */
    record Outcome(List<Result> results, String skipped) {
        String line() {
            return skipped != null ? "PyTorch peer: skipped (" + skipped + ")"
                    : results.isEmpty() ? "PyTorch peer: no results"
                    : "PyTorch peer: torch " + results.getFirst().torch() + ", CPU capability "
                    + results.getFirst().capability() + ", " + results.getFirst().threads() + " threads, glibc "
                    + MALLOC_ENV.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        }
    }

    /**
     * glibc malloc settings for the peer's process: no mmap for large blocks and no trimming, so that
     * PyTorch's per-step tensors are reused from the heap instead of being mapped, page-faulted in and
     * unmapped every step (on a 2-vCPU AVX2 EPYC that system time took about a fifth of PyTorch's step).
     * Fairer to the peer; vgg4j's JVM reuses its own buffers and is not affected.
     */
    static final Map<String, String> MALLOC_ENV = Map.of("MALLOC_MMAP_MAX_", "0",
            "MALLOC_TRIM_THRESHOLD_", "100000000000");

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (\"[^\"]*\"|[-0-9.eE]+)");

    private PyTorchPeer() {}

    /** Runs the script with {@code python} for {@code cases} ({@code kind:batch:size,...}); never throws for a missing torch. */
    static Outcome run(String python, Path script, int threads, String cases, int warmup, int iterations)
            throws IOException, InterruptedException {
        Process check = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        String checkOut;
        try {
            checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        } finally {
            check.waitFor();
        }
        if (check.exitValue() != 0) {
            List<String> lines = checkOut.lines().toList();
            return new Outcome(List.of(), python + " cannot import torch: "
                    + (lines.isEmpty() ? "exit " + check.exitValue() : lines.getLast()));
        }
        ProcessBuilder peer = new ProcessBuilder(python, script.toString(), "--threads", String.valueOf(threads),
                "--cases", cases, "--warmup", String.valueOf(warmup), "--iterations", String.valueOf(iterations))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        peer.environment().putAll(MALLOC_ENV);
        Process p = peer.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return new Outcome(List.of(), script + " exited with " + p.exitValue());
        }
        return new Outcome(parse(out), null);
    }

    /** The script's JSON lines (flat objects of strings and numbers). */
    static List<Result> parse(String jsonLines) {
        List<Result> results = new ArrayList<>();
        for (String line : jsonLines.lines().filter(l -> l.startsWith("{")).toList()) {
            Map<String, String> f = new HashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2).replace("\"", ""));
            }
            results.add(new Result(f.get("case"), Integer.parseInt(f.get("batch")), Integer.parseInt(f.get("size")),
                    Integer.parseInt(f.get("threads")), Double.parseDouble(f.get("best_ms")), f.get("torch"),
                    f.get("backend")));
        }
        return results;
    }
}
