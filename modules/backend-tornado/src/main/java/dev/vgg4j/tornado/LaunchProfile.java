package dev.vgg4j.tornado;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where a device plan's time goes, per task graph (one graph per kernel): launches, host time spent
 * in {@code execute()} (issue, parameter transfer and, where TornadoVM waits, the kernel itself), and
 * optionally the driver's kernel time. The gap between the two is the per-launch overhead.
 */
public final class LaunchProfile {
    /** One graph's totals; times in nanoseconds (device 0 when not measured). */
    public record Line(String graph, long launches, long hostNanos, long deviceNanos) {}

    private final long[] launches;
    private final long[] hostNanos;
    private final long[] deviceNanos;
    private boolean deviceTimes;

    LaunchProfile(int graphs) {
        launches = new long[graphs];
        hostNanos = new long[graphs];
        deviceNanos = new long[graphs];
    }

    void reset(boolean withDeviceTimes) {
        Arrays.fill(launches, 0);
        Arrays.fill(hostNanos, 0);
        Arrays.fill(deviceNanos, 0);
        deviceTimes = withDeviceTimes;
    }

    boolean deviceTimes() {
        return deviceTimes;
    }

    void record(int graph, long host, long device) {
        launches[graph]++;
        hostNanos[graph] += host;
        deviceNanos[graph] += device;
    }

    /** Graphs that ran, by host time, slowest first. */
    List<Line> lines(String[] names) {
        List<Line> lines = new ArrayList<>();
        for (int g = 0; g < names.length; g++) {
            if (launches[g] > 0) {
                lines.add(new Line(names[g], launches[g], hostNanos[g], deviceNanos[g]));
            }
        }
        lines.sort(Comparator.comparingLong(Line::hostNanos).reversed());
        return lines;
    }
}
