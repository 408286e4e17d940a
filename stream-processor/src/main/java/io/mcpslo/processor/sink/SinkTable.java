package io.mcpslo.processor.sink;

import io.mcpslo.storage.pipeline.PipelineStore;
import io.mcpslo.kafka.Topic;
import io.mcpslo.kafka.Topics;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One table of the sink: the topic that feeds it and the store write that keeps its rows. Each table is moved
 * by its own loop with its own offsets, so a table the store refuses never holds back another. Adding a table
 * to the sink is one entry in {@link #ALL}.
 */
public record SinkTable<T>(String name, Topic<String, T> topic, BiConsumer<PipelineStore, List<T>> write) {

    public static final List<SinkTable<?>> ALL = List.of(
            new SinkTable<>("calls", Topics.CALLS, PipelineStore::writeCalls),
            new SinkTable<>("audit_events", Topics.AUDIT, PipelineStore::writeAudits),
            new SinkTable<>("call_rollups_1m", Topics.ROLLUPS, PipelineStore::writeRollups),
            new SinkTable<>("alert_events", Topics.ALERTS, PipelineStore::writeAlerts),
            new SinkTable<>("slo_status", Topics.SLO_STATUS, PipelineStore::writeStatuses),
            new SinkTable<>("alert_deliveries", Topics.DELIVERIES, PipelineStore::writeDeliveries),
            new SinkTable<>("audit_log", Topics.AUDIT_CHAINED, PipelineStore::writeAuditLog),
            new SinkTable<>("audit_digests", Topics.AUDIT_DIGESTS, PipelineStore::writeDigests),
            new SinkTable<>("silences", Topics.SILENCES, PipelineStore::writeSilences),
            new SinkTable<>("alert_acks", Topics.ACKS, PipelineStore::writeAcks));

    /** The consumer group of this table's loop: its offsets are its own. */
    public String groupId() {
        return "mcp-slo-sink-" + name;
    }

    T decode(byte[] value) {
        return topic.valueSerde().deserializer().deserialize(topic.name(), value);
    }

    void writeTo(PipelineStore store, List<T> rows) {
        write.accept(store, rows);
    }
}
