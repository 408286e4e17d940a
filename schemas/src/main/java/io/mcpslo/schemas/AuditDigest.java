package io.mcpslo.schemas;

import java.time.Instant;

/** A keyed signature of one link of the audit chain: the chain, the position, the link's hash and the HMAC. */
public record AuditDigest(int partition, long seq, String hash, String hmac, Instant at) {
}
