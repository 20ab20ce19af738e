package dev.vgg4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery through the three providers of {@link TestProviders}. */
class BackendsTest {

    @Test
    void listsEveryProviderHighestPriorityFirst() {
        List<Backends.Info> all = Backends.list();
        assertEquals(List.of("test-gpu", "test-fast", "test-slow"), all.stream().map(Backends.Info::name).toList());
        assertEquals(List.of(100, 50, 10), all.stream().map(Backends.Info::priority).toList());
        assertEquals(List.of(false, true, true), all.stream().map(i -> i.availability().available()).toList());
    }

    @Test
    void defaultIsTheHighestPriorityAvailableOne() {
        assertEquals("test-fast", Backends.defaultName());
        assertEquals("test-fast", Backends.createDefault(BackendOptions.defaults()).name());
    }

    @Test
    void createsByName() {
        assertEquals("test-slow", Backends.create("test-slow").name());
        assertEquals("test-slow", Backends.provider("test-slow").name());
    }

    @Test
    void unknownNameListsWhatExists() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create("cuda"));
        String message = e.getMessage();
        assertTrue(message.contains("'cuda'"), message);
        for (String known : List.of("test-gpu", "test-fast", "test-slow")) {
            assertTrue(message.contains(known), () -> "does not list " + known + ": " + message);
        }
        assertTrue(message.contains("no test GPU in this JVM"), message);
    }

    @Test
    void unavailableNameShowsTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.create("test-gpu"));
        assertTrue(e.getMessage().contains("test-gpu"), e.getMessage());
        assertTrue(e.getMessage().contains("no test GPU in this JVM"), e.getMessage());
    }

    @Test
    void availabilityDescribesItself() {
        assertEquals("available", Availability.yes().toString());
        assertEquals("unavailable: driver missing", Availability.no("driver missing").toString());
    }
}
