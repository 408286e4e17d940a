package io.mcpslo.processor.topology;

import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.slo.SloDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Spreads SLO evaluation over {@code partitions} tasks: each SLO lives on one partition of the evaluation's
 * repartition topic (a stable hash of its id), and each rollup is sent to every partition that holds an SLO whose
 * scope matches it, keyed {@code shard|rollup key}. A rollup no SLO matches goes nowhere; a rollup of a server with
 * SLOs on three partitions goes to three. One task then holds, sums and evaluates only its own SLOs, so neither
 * 10,000 SLOs nor a fleet of tools lands on one thread; an SLO over the whole fleet still sees every rollup, on its
 * one partition.
 *
 * <p>Safe to share between stream threads: the index of the catalog in force is immutable and replaced whole when
 * the catalog changes (the supplier returns a new list on reload).
 */
final class SloShards {

    private static final char SEPARATOR = '|';

    private final Supplier<List<SloDefinition>> catalog;
    private final int partitions;
    private volatile Index index = new Index(null, Map.of(), List.of());

    /** The SLOs of one catalog by server; those naming no server apart. */
    private record Index(List<SloDefinition> source, Map<String, List<Scoped>> byServer, List<Scoped> anyServer) {
    }

    private record Scoped(SloDefinition slo, int shard) {
    }

    SloShards(Supplier<List<SloDefinition>> catalog, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("SLO_EVALUATION_PARTITIONS must be >= 1, was " + partitions);
        }
        this.catalog = catalog;
        this.partitions = partitions;
    }

    /** The partition an SLO is evaluated on: String.hashCode is specified, so every instance agrees. */
    static int of(String sloId, int partitions) {
        return Math.floorMod(sloId.hashCode(), partitions);
    }

    /** The partitions holding an SLO that counts this rollup, ascending; empty when none does. */
    Set<Integer> shardsOf(RollupKey key) {
        Index current = current();
        Set<Integer> shards = new TreeSet<>();
        for (Scoped scoped : current.byServer().getOrDefault(key.server(), List.of())) {
            if (scoped.slo().scope().matches(key)) {
                shards.add(scoped.shard());
            }
        }
        for (Scoped scoped : current.anyServer()) {
            if (scoped.slo().scope().matches(key)) {
                shards.add(scoped.shard());
            }
        }
        return shards;
    }

    private Index current() {
        List<SloDefinition> slos = catalog.get();
        Index current = index;
        if (current.source() != slos) {
            Map<String, List<Scoped>> byServer = new HashMap<>();
            List<Scoped> anyServer = new ArrayList<>();
            for (SloDefinition slo : slos) {
                Scoped scoped = new Scoped(slo, of(slo.id(), partitions));
                if (slo.scope().server() == null) {
                    anyServer.add(scoped);
                } else {
                    byServer.computeIfAbsent(slo.scope().server(), server -> new ArrayList<>()).add(scoped);
                }
            }
            current = new Index(slos, byServer, anyServer);
            index = current;
        }
        return current;
    }

    /** The key a rollup travels under to one partition. */
    static String key(int shard, String rollupKey) {
        return shard + String.valueOf(SEPARATOR) + rollupKey;
    }

    /** Sends each record to the partition its key names. */
    static <V> StreamPartitioner<String, V> partitioner() {
        return (topic, key, value, numPartitions) -> Optional.of(Set.of(shardOfKey(key, numPartitions)));
    }

    static int shardOfKey(String key, int numPartitions) {
        int shard = Integer.parseInt(key, 0, key.indexOf(SEPARATOR), 10);
        if (shard < 0 || shard >= numPartitions) {
            throw new IllegalStateException("rollup for SLO partition " + shard + " but the topic has " + numPartitions
                    + " partitions: SLO_EVALUATION_PARTITIONS changed without a reset");
        }
        return shard;
    }
}
