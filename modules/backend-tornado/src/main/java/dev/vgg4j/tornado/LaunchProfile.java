package dev.vgg4j.tornado;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a device plan's time goes, per label (a kernel graph's name; for the GEMM, name and shape):
 * launches, host time spent in {@code execute()} (issue, parameter transfer and, where TornadoVM
 * waits, the kernel itself), and optionally the driver's kernel time. The gap between the two is the
 * per-launch overhead.
 */
public final class LaunchProfile {
    /** One label's totals; times in nanoseconds (device 0 when not measured). */
    public record Line(String label, long launches, long hostNanos, long deviceNanos) {}

    /** Per label: launches, host nanoseconds, device nanoseconds. */
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private boolean deviceTimes;

    void reset(boolean withDeviceTimes) {
        totals.clear();
        deviceTimes = withDeviceTimes;
    }

    boolean deviceTimes() {
        return deviceTimes;
    }

    void record(String label, long host, long device) {
        long[] t = totals.computeIfAbsent(label, l -> new long[3]);
        t[0]++;
        t[1] += host;
        t[2] += device;
    }

    /** Labels that ran, by host time, slowest first. */
    List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        totals.forEach((label, t) -> lines.add(new Line(label, t[0], t[1], t[2])));
        lines.sort(Comparator.comparingLong(Line::hostNanos).reversed());
        return lines;
    }
}
