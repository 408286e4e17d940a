package io.mcpslo.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.mcpslo.schemas.EventCodec;
import java.io.IOException;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** JSON of the chained audit topic (the v1 audit event plus its chain link) and of the digest topic. */
public final class AuditMessages {

    private AuditMessages() {
    }

    public static Serde<ChainedAudit> chainedAudits() {
        return Serdes.serdeFrom((topic, chained) -> chained == null ? null : write(encodeChained(chained)),
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    try {
                        JsonNode node = EventCodec.MAPPER.readTree(bytes);
                        var event = (AuditEvent) EventCodec.decodeTrusted(node);
                        var link = new AuditChain.Link(node.get("chain_partition").asInt(), node.get("chain_seq").asLong(),
                                node.get("prev_hash").asText(), node.get("hash").asText());
                        return new ChainedAudit(event, link, Instant.parse(node.get("chained_at").asText()));
                    } catch (IOException | RuntimeException e) {
                        throw new SerializationException("not a valid chained audit event", e);
                    }
                });
    }

    public static Serde<AuditDigest> digests() {
        return Serdes.serdeFrom((topic, digest) -> {
            if (digest == null) {
                return null;
            }
            ObjectNode node = EventCodec.MAPPER.createObjectNode();
            node.put("chain_partition", digest.partition());
            node.put("chain_seq", digest.seq());
            node.put("hash", digest.hash());
            node.put("hmac", digest.hmac());
            node.put("at", digest.at().toString());
            return write(node);
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                JsonNode node = EventCodec.MAPPER.readTree(bytes);
                return new AuditDigest(node.get("chain_partition").asInt(), node.get("chain_seq").asLong(),
                        node.get("hash").asText(), node.get("hmac").asText(), Instant.parse(node.get("at").asText()));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not a valid audit digest", e);
            }
        });
    }

    public static ObjectNode encodeChained(ChainedAudit chained) {
        ObjectNode node = EventCodec.encode(chained.event());
        node.put("chain_partition", chained.link().partition());
        node.put("chain_seq", chained.link().seq());
        node.put("prev_hash", chained.link().prevHash());
        node.put("hash", chained.link().hash());
        node.put("chained_at", chained.chainedAt().toString());
        return node;
    }

    private static byte[] write(ObjectNode node) {
        try {
            return EventCodec.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new SerializationException("cannot encode", e);
        }
    }
}
