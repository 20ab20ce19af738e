package dev.vgg4j.spi;

import java.lang.reflect.Proxy;

/**
 * Backend providers that exist only on the core test class path (registered in
 * src/test/resources/META-INF/services), so discovery is tested without any real backend module.
 */
public final class TestProviders {
    private TestProviders() {}

    /** A provider with a fixed name, priority and availability whose backends only answer {@code name()}. */
    abstract static class Fixed implements BackendProvider {
        private final String name;
        private final int priority;
        private final Availability availability;

        Fixed(String name, int priority, Availability availability) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public Backend create(BackendOptions options) {
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("name")) {
                            return name;
                        }
                        throw new UnsupportedOperationException(method.getName() + " of test backend " + name);
                    });
        }
    }

    /** The highest priority, but not available here. */
    public static final class Unavailable extends Fixed {
        public Unavailable() {
            super("test-gpu", 100, Availability.no("no test GPU in this JVM"));
        }
    }

    /** The highest-priority available one: the default. */
    public static final class Fast extends Fixed {
        public Fast() {
            super("test-fast", 50, Availability.yes());
        }
    }

    public static final class Slow extends Fixed {
        public Slow() {
            super("test-slow", 10, Availability.yes());
        }
    }
}
