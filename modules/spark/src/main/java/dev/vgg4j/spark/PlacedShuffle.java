package dev.vgg4j.spark;

import org.apache.spark.Partition;
import org.apache.spark.Partitioner;
import org.apache.spark.rdd.RDD;
import org.apache.spark.rdd.ShuffledRDD;
import scala.Product2;
import scala.collection.immutable.Seq;
import scala.reflect.ClassTag$;

/**
 * A shuffle whose reducer {@code s} prefers the executor that holds slice {@code s}'s state
 * (Spark's own preference, where most map output lies, is a tie when every worker writes the
 * same share to every reducer): the reducer then reads its weights and optimizer state locally.
 * Records are keyed by their reducer's index.
 */
final class PlacedShuffle extends ShuffledRDD<Integer, SliceExchange.Part, SliceExchange.Part> {
    private static final long serialVersionUID = 1L;
    /** {@code locations[s]}: Spark task location of slice s's executor ({@code executor_HOST_ID}), or null. */
    private final String[] locations;

    PlacedShuffle(RDD<? extends Product2<Integer, SliceExchange.Part>> parent, String[] locations) {
        super(parent, new ByIndex(locations.length), ClassTag$.MODULE$.apply(Integer.class),
                ClassTag$.MODULE$.apply(SliceExchange.Part.class), ClassTag$.MODULE$.apply(SliceExchange.Part.class));
        this.locations = locations.clone();
    }

    @Override
    public Seq<String> getPreferredLocations(Partition partition) {
        String location = locations[partition.index()];
        return location == null ? super.getPreferredLocations(partition) : Locations.of(location);
    }

    /** Key s goes to reducer s. */
    static final class ByIndex extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;

        ByIndex(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByIndex b && b.partitions == partitions;
        }

        @Override
        public int hashCode() {
            return partitions;
        }
    }
}
