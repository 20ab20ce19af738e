package dev.vgg4j.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Discovery of backends on the class path through {@link ServiceLoader}. */
public final class Backends {
    private Backends() {}

    /** A provider and what it says about this machine. */
    public record Info(String name, int priority, Availability availability) {}

    /** Every provider found, highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> all = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(all::add);
        all.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        return all;
    }

    /** Every provider with its availability, highest priority first. */
    public static List<Info> list() {
        return providers().stream()
                .map(p -> new Info(p.name(), p.priority(), p.availability()))
                .toList();
    }

    /** The provider called {@code name}; unknown or unavailable names fail with a message listing what exists. */
    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equals(name)) {
                Availability a = p.availability();
                if (!a.available()) {
                    throw new IllegalArgumentException("backend '" + name + "' is unavailable: " + a.reason());
                }
                return p;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; known backends: " + describe(all));
    }

    /** The highest-priority available backend's name. */
    public static String defaultName() {
        List<BackendProvider> all = providers();
        return all.stream()
                .filter(p -> p.availability().available())
                .findFirst()
                .map(BackendProvider::name)
                .orElseThrow(() -> new IllegalStateException("no backend is available; found: " + describe(all)));
    }

    public static Backend create(String name) {
        return create(name, BackendOptions.defaults());
    }

    /**
     * A new backend of the provider called {@code name}; a precision the provider does not support is
     * refused here, naming the providers that do.
     */
    public static Backend create(String name, BackendOptions options) {
        BackendProvider provider = provider(name);
        checkPrecision(provider, options.precision());
        return provider.create(options);
    }

    /** Throws when {@code provider} cannot train in {@code precision}, naming the providers that can. */
    private static void checkPrecision(BackendProvider provider, Precision precision) {
        if (!provider.precisions().contains(precision)) {
            throw new IllegalArgumentException("precision " + precision.label() + " is not supported by backend '"
                    + provider.name() + "'; supported by: " + supporting(precision));
        }
    }

    /** The providers on the class path that can train in {@code precision}, as a list for messages. */
    public static String supporting(Precision precision) {
        String names = providers().stream()
                .filter(p -> p.precisions().contains(precision))
                .map(BackendProvider::name)
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "no backend on the class path" : names;
    }

    /** The highest-priority available backend. */
    public static Backend createDefault(BackendOptions options) {
        return create(defaultName(), options);
    }

    private static String describe(List<BackendProvider> all) {
        if (all.isEmpty()) {
            return "none (no backend module on the class path)";
        }
        return all.stream()
                .map(p -> p.name() + " (" + p.availability() + ")")
                .collect(Collectors.joining(", "));
    }
}
