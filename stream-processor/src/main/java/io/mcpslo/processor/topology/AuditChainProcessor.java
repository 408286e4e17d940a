package io.mcpslo.processor.topology;

import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.AuditEvent;
import io.mcpslo.schemas.ChainedAudit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Chains each audit event to the previous one of its partition (see {@link AuditChain}) and, every
 * {@code digestEvery} events or at the wall-clock {@code digestInterval} when there are new links, signs the
 * head of each chain with the digest key. The chain heads live in a changelogged store, so under exactly-once a
 * restart continues each chain where it stopped. A replayed event id (within the dedup window) is chained once.
 */
final class AuditChainProcessor implements Processor<String, AuditEvent, String, AuditChainProcessor.Output> {

    /** What the chain emits: a chained event for the audit log, or a signed chain head for the digests topic. */
    sealed interface Output {
    }

    record Chained(ChainedAudit audit) implements Output {
    }

    record Digest(AuditDigest digest) implements Output {
    }


    static final String HEADS_STORE = "audit-chain-heads";
    static final String SEEN_STORE = "audit-seen-event-ids";

    private final byte[] digestKey;
    private final int digestEvery;
    private final Duration digestInterval;
    private final Clock clock;
    private final Counter chained;
    private final Counter duplicates;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, String> heads;
    private WindowStore<String, Long> seen;

    AuditChainProcessor(byte[] digestKey, int digestEvery, Duration digestInterval, Clock clock, MeterRegistry registry) {
        this.digestKey = digestKey.clone();
        this.digestEvery = digestEvery;
        this.digestInterval = digestInterval;
        this.clock = clock;
        this.chained = Counter.builder("mcp_processor_audit_chained")
                .description("Audit events chained into the tamper-evident log").register(registry);
        this.duplicates = Counter.builder("mcp_processor_audit_duplicate")
                .description("Audit events whose id was already chained (replays, retries)").register(registry);
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.heads = context.getStateStore(HEADS_STORE);
        this.seen = context.getStateStore(SEEN_STORE);
        context.schedule(digestInterval, PunctuationType.WALL_CLOCK_TIME, now -> digestAll());
    }

    /** A chain head as stored: the last link and the seq of the last digest, tab-separated. */
    private record Head(AuditChain.Link link, long digestedSeq) {
        static Head parse(int partition, String text) {
            String[] parts = text.split("\t");
            return new Head(new AuditChain.Link(partition, Long.parseLong(parts[0]), parts[1], parts[2]),
                    Long.parseLong(parts[3]));
        }

        String text() {
            return link.seq() + "\t" + link.prevHash() + "\t" + link.hash() + "\t" + digestedSeq;
        }
    }

    @Override
    public void process(Record<String, AuditEvent> record) {
        AuditEvent event = record.value();
        if (event == null) {
            return;
        }
        String eventId = event.envelope().eventId().toString();
        long eventMs = event.envelope().ts().toEpochMilli();
        if (seen.fetch(eventId, eventMs) != null) {
            duplicates.increment();
            return;
        }
        seen.put(eventId, 1L, eventMs);
        int partition = context.recordMetadata().map(metadata -> metadata.partition()).orElse(0);
        String headKey = Integer.toString(partition);
        String stored = heads.get(headKey);
        Head head = stored == null ? null : Head.parse(partition, stored);
        AuditChain.Link link = AuditChain.next(head == null ? null : head.link(), partition, event);
        context.forward(new Record<>(record.key(), new Chained(new ChainedAudit(event, link, clock.instant())),
                record.timestamp()));
        chained.increment();
        long digestedSeq = head == null ? 0 : head.digestedSeq();
        if (link.seq() - digestedSeq >= digestEvery) {
            forwardDigest(link);
            digestedSeq = link.seq();
        }
        heads.put(headKey, new Head(link, digestedSeq).text());
    }

    private void digestAll() {
        List<KeyValue<String, Head>> updated = new ArrayList<>();
        try (KeyValueIterator<String, String> it = heads.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> entry = it.next();
                Head head = Head.parse(Integer.parseInt(entry.key), entry.value);
                if (head.link().seq() > head.digestedSeq()) {
                    forwardDigest(head.link());
                    updated.add(KeyValue.pair(entry.key, new Head(head.link(), head.link().seq())));
                }
            }
        }
        updated.forEach(entry -> heads.put(entry.key, entry.value.text()));
    }

    private void forwardDigest(AuditChain.Link link) {
        String hmac = AuditChain.digest(digestKey, link.partition(), link.seq(), link.hash());
        context.forward(new Record<>(link.partition() + ":" + link.seq(),
                new Digest(new AuditDigest(link.partition(), link.seq(), link.hash(), hmac, clock.instant())),
                clock.instant().toEpochMilli()));
    }
}
