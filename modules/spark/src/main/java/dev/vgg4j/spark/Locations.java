package dev.vgg4j.spark;

import java.util.List;
import org.apache.spark.SparkEnv;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Spark task locations: {@code executor_HOST_ID} pins a task to one executor (Spark's ExecutorCacheTaskLocation). */
final class Locations {
    private Locations() {}

    /** This executor's location, as a task that runs here reports it. */
    static String here() {
        SparkEnv env = SparkEnv.get();
        return "executor_" + env.blockManager().blockManagerId().host() + "_" + env.executorId();
    }

    /** {@code location} as the preferred-locations list Spark asks for; none when it is null. */
    static Seq<String> of(String location) {
        return CollectionConverters.asScala(location == null ? List.<String>of() : List.of(location)).toList();
    }
}
