package dev.vgg4j.tornado;

import dev.vgg4j.tornado.kernels.LaunchArgs;

/** One kernel launch as the {@link LaunchQueue} issues it: the kernel, its profile label, parameters and grid. */
record Launch(DeviceKernel kernel, String label, LaunchArgs args, DevicePlan.Grid grid) {}
