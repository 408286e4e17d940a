package io.mcpslo.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.engine.rollup.CallRollup;
import io.mcpslo.engine.rollup.OutcomeCounts;
import io.mcpslo.engine.rollup.RollupKey;
import io.mcpslo.engine.sketch.SketchBins;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.CallEvent;
import io.mcpslo.schemas.EventCodec;
import io.mcpslo.schemas.McpEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** JSON serdes for the typed topics. Values on the wire are the v1 contract's JSON. */
public final class JsonSerdes {

    private JsonSerdes() {
    }

    public static Serde<CallEvent> callEvents() {
        return eventSerde(CallEvent.class);
    }

    public static Serde<AuditEvent> auditEvents() {
        return eventSerde(AuditEvent.class);
    }

    public static Serde<CallRollup> callRollups() {
        return Serdes.serdeFrom(
                (topic, rollup) -> rollup == null ? null : encodeRollup(rollup),
                (topic, bytes) -> bytes == null ? null : decodeRollup(bytes));
    }

    private static <T extends McpEvent> Serde<T> eventSerde(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, event) -> event == null ? null : EventCodec.encodeBytes(event),
                (topic, bytes) -> bytes == null ? null : decodeEvent(bytes, type));
    }

    /** A call in the v1 contract's JSON, as {@code mcp.calls.v1} carried them before {@link CallEventWire}. */
    static CallEvent decodeCall(byte[] bytes) {
        return decodeEvent(bytes, CallEvent.class);
    }

    private static <T extends McpEvent> T decodeEvent(byte[] bytes, Class<T> type) {
        try {
            McpEvent event = EventCodec.decodeTrusted(bytes);
            if (type.isInstance(event)) {
                return type.cast(event);
            }
            throw new SerializationException("expected a " + type.getSimpleName() + " but got " + event.getClass().getSimpleName());
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("not a valid " + type.getSimpleName() + " on an internal topic", e);
        }
    }

    public static byte[] encodeRollup(CallRollup rollup) {
        ObjectNode node = EventCodec.MAPPER.createObjectNode();
        RollupKey key = rollup.key();
        node.put("window_start", key.windowStart().toString());
        node.put("server", key.server());
        node.put("tool", key.tool());
        node.put("server_version", key.serverVersion());
        OutcomeCounts counts = rollup.counts();
        node.put("ok", counts.ok());
        node.put("tool_error", counts.toolError());
        node.put("transport_error", counts.transportError());
        node.put("denied", counts.denied());
        node.put("rate_limited", counts.rateLimited());
        node.put("latency_sum_ms", rollup.latencySumMs());
        node.put("latency_max_ms", rollup.latencyMaxMs());
        SketchBins bins = rollup.latency();
        node.put("latency_zero_count", bins.zeroCount());
        ArrayNode indexes = node.putArray("latency_bins");
        ArrayNode binCounts = node.putArray("latency_counts");
        for (int i = 0; i < bins.size(); i++) {
            indexes.add(bins.indexAt(i));
            binCounts.add(bins.countAt(i));
        }
        try {
            return EventCodec.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new SerializationException("cannot encode rollup " + key, e);
        }
    }

    public static CallRollup decodeRollup(byte[] bytes) {
        try {
            JsonNode node = EventCodec.MAPPER.readTree(bytes);
            var key = new RollupKey(node.get("server").asText(), node.get("tool").asText(),
                    node.get("server_version").asText(), Instant.parse(node.get("window_start").asText()));
            var counts = new OutcomeCounts(node.get("ok").asLong(), node.get("tool_error").asLong(),
                    node.get("transport_error").asLong(), node.get("denied").asLong(),
                    node.get("rate_limited").asLong());
            int[] indexes = toArray(node.get("latency_bins"), JsonNode::asInt);
            long[] binCounts = new long[node.get("latency_counts").size()];
            for (int i = 0; i < binCounts.length; i++) {
                binCounts[i] = node.get("latency_counts").get(i).asLong();
            }
            var bins = new SketchBins(indexes, binCounts, node.get("latency_zero_count").asLong());
            return new CallRollup(key, counts, node.get("latency_sum_ms").asDouble(),
                    node.get("latency_max_ms").asDouble(), bins);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("not a valid call rollup", e);
        }
    }

    private static int[] toArray(JsonNode array, Function<JsonNode, Integer> element) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = element.apply(array.get(i));
        }
        return values;
    }
}
