package io.mcpslo.schemas;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit trail's hash chain. Each audit event is chained to the previous one of its chain (one chain per
 * partition of the audit topic): {@code hash = SHA-256(prev_hash + "\n" + canonical JSON of the stored fields)},
 * the first link's prev_hash being 64 zeros. A digest every so often signs a link with a key
 * (HMAC-SHA256), so rewriting the chain from some point on needs the key too. Writer (stream-processor) and
 * verifier (query-api) both build the hashed content here, from the same stored field values.
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    /** The stored text fields that the hash covers, in no particular order (the canonical JSON sorts them). */
    public static final List<String> TEXT_FIELDS = List.of("event_id", "source", "server", "server_version", "tool",
            "method", "session_id", "user", "team", "trace_id", "span_id", "actor", "agent", "action", "resource",
            "args_hash", "decision", "policy", "outcome", "reason");

    private AuditChain() {
    }

    /** A link of the chain: which chain, its position, and the hashes before and of it. */
    public record Link(int partition, long seq, String prevHash, String hash) {
        public Link {
            Objects.requireNonNull(prevHash, "prevHash");
            Objects.requireNonNull(hash, "hash");
        }
    }

    /** The stored text of each hashed field of an event (absent fields are empty strings). */
    public static Map<String, String> textFields(AuditEvent event) {
        EventEnvelope envelope = event.envelope();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("event_id", envelope.eventId().toString());
        fields.put("source", envelope.source());
        fields.put("server", envelope.server());
        fields.put("server_version", orEmpty(envelope.serverVersion()));
        fields.put("tool", orEmpty(envelope.tool()));
        fields.put("method", orEmpty(envelope.method()));
        fields.put("session_id", orEmpty(envelope.sessionId()));
        fields.put("user", orEmpty(envelope.user()));
        fields.put("team", orEmpty(envelope.team()));
        fields.put("trace_id", orEmpty(envelope.traceId()));
        fields.put("span_id", orEmpty(envelope.spanId()));
        fields.put("actor", event.actor());
        fields.put("agent", orEmpty(event.agent()));
        fields.put("action", event.action());
        fields.put("resource", orEmpty(event.resource()));
        fields.put("args_hash", orEmpty(event.argsHash()));
        fields.put("decision", event.decision().name().toLowerCase(Locale.ROOT));
        fields.put("policy", orEmpty(event.policy()));
        fields.put("outcome", orEmpty(event.outcome()));
        fields.put("reason", orEmpty(event.reason()));
        return fields;
    }

    /** The hash of one link: its predecessor's hash and the canonical JSON of its stored fields and position. */
    public static String hash(String prevHash, Map<String, String> textFields, long tsMs, int partition, long seq) {
        ObjectNode content = EventCodec.MAPPER.createObjectNode();
        for (String field : TEXT_FIELDS) {
            content.put(field, Objects.requireNonNullElse(textFields.get(field), ""));
        }
        content.put("ts_ms", tsMs);
        content.put("chain_partition", partition);
        content.put("chain_seq", seq);
        return ArgsHash.sha256(prevHash + "\n" + ArgsHash.canonical(content));
    }

    public static Link next(Link previous, int partition, AuditEvent event) {
        long seq = previous == null ? 1 : previous.seq() + 1;
        String prevHash = previous == null ? GENESIS : previous.hash();
        return new Link(partition, seq, prevHash,
                hash(prevHash, textFields(event), event.envelope().ts().toEpochMilli(), partition, seq));
    }

    /** The keyed digest of a link: HMAC-SHA256 over "partition:seq:hash". */
    public static String digest(byte[] key, int partition, long seq, String hash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((partition + ":" + seq + ":" + hash)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
