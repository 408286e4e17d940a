package io.mcpslo.storage.audit;

import io.mcpslo.schemas.AuditDigest;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The audit log as auditors read it. */
public interface AuditStore {

    /** Rows matching the filter, newest first, after the cursor; each row is its columns by name. */
    List<Map<String, Object>> page(AuditFilter filter, Optional<AuditCursor> after, int limit);

    long count(AuditFilter filter);

    /** Break-glass acts (server.disable, tool.kill, sessions.drain, tool.enable) in [from, to), newest first. */
    List<Map<String, Object>> breakGlass(Instant from, Instant to, int limit);

    /** The matching rows as CSV (with a header line) or NDJSON, streamed from storage; the caller closes it. */
    InputStream export(AuditFilter filter, ExportFormat format);

    /** Feeds every link chained in [from, to) to {@code sink}, chain by chain, in chain order. */
    void links(Instant from, Instant to, Consumer<StoredLink> sink);

    Optional<StoredLink> link(int partition, long seq);

    List<AuditDigest> digests(Instant from, Instant to);

    /** The formats an export can take. */
    enum ExportFormat { CSV, NDJSON }
}
