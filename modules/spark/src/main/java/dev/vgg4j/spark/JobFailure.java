package dev.vgg4j.spark;

import org.apache.spark.SparkException;

/**
 * A Spark job that failed after Spark's retries, as one line for the user: Spark's first line
 * names the task, the executor and the task's exception; its stack traces are left out.
 */
final class JobFailure {
    private JobFailure() {}

    /**
     * Spark's first line when {@code e} is a {@link SparkException} (which Scala throws without
     * declaring it, so callers catch {@code Exception}); any other exception is thrown as it is.
     */
    static String reason(Exception e) {
        if (!(e instanceof SparkException)) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }
}
