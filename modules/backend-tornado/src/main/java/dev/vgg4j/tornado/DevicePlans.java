package dev.vgg4j.tornado;

import dev.vgg4j.spi.BackendOptions;
import java.util.HashMap;
import java.util.Map;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoDeviceType;

/**
 * One {@link DevicePlan} per device and JVM, created on first use: the device heap's size is fixed
 * then, and later backends on the same device share the heap and the compiled kernels.
 */
final class DevicePlans {
    private static final long DEFAULT_MEMORY_MIB = 1024;
    private static final Map<String, DevicePlan> PLANS = new HashMap<>();

    private DevicePlans() {}

    record DeviceInfo(String key, boolean gpu) {}

    static DeviceInfo defaultDevice() {
        TornadoDevice d = device(System.getProperty("vgg4j.tornado.device", "0:0"), "-Dvgg4j.tornado.device");
        return new DeviceInfo(d.getDeviceName(), d.getDeviceType() == TornadoDeviceType.GPU);
    }

    static synchronized TornadoBackend backendFor(BackendOptions options) {
        String spec = options.extra().getOrDefault("tornado.device",
                System.getProperty("vgg4j.tornado.device", "0:" + options.deviceIndex()));
        String memory = options.extra().getOrDefault("tornado.memory",
                System.getProperty("vgg4j.tornado.memory", Long.toString(DEFAULT_MEMORY_MIB)));
        long mib;
        try {
            mib = Long.parseLong(memory.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("tornado.memory: expected the device heap size in MiB, e.g. 2048, got '"
                    + memory + "'");
        }
        if (mib < 1) {
            throw new IllegalArgumentException("tornado.memory: expected at least 1 MiB, got " + mib);
        }
        TornadoDevice device = device(spec, "tornado.device");
        String record = options.extra().getOrDefault("tornado.record", System.getProperty("vgg4j.tornado.record",
                device.getDeviceType() == TornadoDeviceType.GPU ? "true" : "false")).trim();
        if (!record.equals("true") && !record.equals("false")) {
            throw new IllegalArgumentException("tornado.record: expected true or false, got '" + record + "'");
        }
        DevicePlan plan = PLANS.get(spec);
        if (plan == null) {
            checkTornadoCap(mib);
            plan = new DevicePlan(device, mib << 20 >> 2);
            PLANS.put(spec, plan);
        }
        return new TornadoBackend(plan, record.equals("true"), options.precision());
    }

    /** TornadoVM refuses buffers above its own cap, -Dtornado.device.memory (default 4GB): say so up front. */
    private static void checkTornadoCap(long heapMib) {
        String cap = System.getProperty("tornado.device.memory", "4GB").trim().toUpperCase(java.util.Locale.ROOT);
        long capMib;
        try {
            long unit = cap.endsWith("GB") ? 1024 : cap.endsWith("MB") ? 1 : -1;
            capMib = unit < 0 ? Long.parseLong(cap.replace("B", "")) >> 20 : Long.parseLong(cap.substring(0, cap.length() - 2)) * unit;
        } catch (NumberFormatException e) {
            return; // TornadoVM reports its own option's format
        }
        if (heapMib >= capMib) {
            throw new IllegalArgumentException("tornado.memory: a device heap of " + heapMib + " MiB exceeds TornadoVM's cap "
                    + "-Dtornado.device.memory=" + cap + "; start the JVM with tornado-config/jvm-args.sh --memory "
                    + heapMib + " (it raises the cap) or -Dtornado.device.memory=" + (heapMib / 1024 + 1) + "GB");
        }
    }

    /** The device {@code "B:D"}: TornadoVM backend B, device D. */
    private static TornadoDevice device(String spec, String option) {
        String[] parts = spec.trim().split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException(option + ": expected backend:device indices such as 0:0, got '" + spec + "'");
        }
        int backend;
        int device;
        try {
            backend = Integer.parseInt(parts[0]);
            device = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": expected backend:device indices such as 0:0, got '" + spec + "'");
        }
        return TornadoExecutionPlan.getDevice(backend, device);
    }
}
