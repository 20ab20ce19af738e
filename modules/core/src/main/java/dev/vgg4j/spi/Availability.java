package dev.vgg4j.spi;

/** Whether a backend can run here, and if not, a reason a user can act on. */
public record Availability(boolean available, String reason) {
    public static Availability yes() {
        return new Availability(true, "");
    }

    public static Availability no(String reason) {
        return new Availability(false, reason);
    }

    @Override
    public String toString() {
        return available ? "available" : "unavailable: " + reason;
    }
}
