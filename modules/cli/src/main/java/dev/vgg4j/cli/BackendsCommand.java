package dev.vgg4j.cli;

import dev.vgg4j.spi.Backend;
import dev.vgg4j.spi.BackendOptions;
import dev.vgg4j.spi.BackendProvider;
import dev.vgg4j.spi.Backends;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Lists every backend on the class path: available or not (and why), its device and threads. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the compute backends, whether each can run here (and why not), device and threads.")
final class BackendsCommand implements Runnable {
    private static final String ROW = "%-10s %-9s %-8s %s%n";

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "Host threads each backend would use (default: ${DEFAULT-VALUE} = all processors).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<BackendProvider> providers = Backends.providers();
        if (providers.isEmpty()) {
            out.println("no backend module on the class path");
            return;
        }
        String preferred = providers.stream().filter(p -> p.availability().available())
                .findFirst().map(BackendProvider::name).orElse("");
        out.printf(ROW, "BACKEND", "PRIORITY", "THREADS", "STATUS / DEVICE");
        for (BackendProvider provider : providers) {
            String name = provider.name() + (provider.name().equals(preferred) ? " *" : "");
            var availability = provider.availability();
            if (!availability.available()) {
                out.printf(ROW, name, provider.priority(), "-", "unavailable: " + availability.reason());
                continue;
            }
            try (Backend backend = provider.create(BackendOptions.defaults().withThreads(threads))) {
                out.printf(ROW, name, provider.priority(), backend.threads(), "available: " + backend.deviceDescription());
            }
        }
        out.println("* the default: the highest-priority available backend (choose another with --backend NAME)");
    }
}
