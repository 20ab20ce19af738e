package dev.vgg4j.tornado;

import dev.vgg4j.spi.Availability;

/**
 * Whether TornadoVM can run in this JVM, decided once: its runtime must be on the module path (the
 * options of tornado-config/jvm-args.sh) and it must find a device. Never throws.
 */
final class TornadoRuntimeProbe {
    private TornadoRuntimeProbe() {}

    private record Result(Availability availability, boolean gpu) {}

    private static volatile Result result;

    static Availability availability() {
        return probe().availability();
    }

    static boolean defaultDeviceIsGpu() {
        return probe().gpu();
    }

    private static Result probe() {
        Result r = result;
        if (r == null) {
            synchronized (TornadoRuntimeProbe.class) {
                if (result == null) {
                    result = compute();
                }
                r = result;
            }
        }
        return r;
    }

    private static Result compute() {
        String runtime = System.getProperty("tornado.load.runtime.implementation");
        String home = System.getenv("TORNADOVM_HOME");
        String hint = "start the JVM with the options of tornado-config/jvm-args.sh (TORNADOVM_HOME "
                + (home == null ? "is not set" : "= " + home) + ")";
        if (runtime == null) {
            return new Result(Availability.no("TornadoVM runtime not on the module path: " + hint), false);
        }
        try {
            Class.forName(runtime);
            Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan");
        } catch (ClassNotFoundException | LinkageError e) {
            return new Result(Availability.no("TornadoVM runtime class " + e.getMessage() + " not found: " + hint), false);
        }
        try {
            DevicePlans.DeviceInfo device = DevicePlans.defaultDevice();
            return new Result(Availability.yes(), device.gpu());
        } catch (RuntimeException | LinkageError e) {
            return new Result(Availability.no("TornadoVM found no usable device (" + e + "); check `tornado --devices` "
                    + "and the OpenCL ICD / CUDA driver"), false);
        }
    }
}
