package io.mcpslo.processor.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mcpslo.engine.rollup.LatenessPolicy;
import io.mcpslo.kafka.Topics;
import io.mcpslo.schemas.AuditChain;
import io.mcpslo.schemas.AuditDigest;
import io.mcpslo.schemas.ChainedAudit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditChainTopologyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, ChainedAudit> chained;
    private TestOutputTopic<String, AuditDigest> digests;

    @BeforeEach
    void start() throws Exception {
        var options = new PipelineTopology.Options(Clock.fixed(NOW, ZoneOffset.UTC), new LatenessPolicy(Duration.ofHours(6)),
                Duration.ofSeconds(1), Duration.ofMinutes(5), new SimpleMeterRegistry(), List::of, Duration.ofSeconds(1),
                false, PipelineTopologyTest.TEST_AUDIT,
                new InMemorySloHistory(), Runnable::run);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "audit-chain-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("mcp-slo-audit").toString());
        driver = new TopologyTestDriver(PipelineTopology.build(options), props, NOW);
        events = driver.createInputTopic(Topics.EVENTS.name(), new StringSerializer(), new ByteArraySerializer());
        chained = driver.createOutputTopic(Topics.AUDIT_CHAINED.name(), new StringDeserializer(),
                Topics.AUDIT_CHAINED.valueSerde().deserializer());
        digests = driver.createOutputTopic(Topics.AUDIT_DIGESTS.name(), new StringDeserializer(),
                Topics.AUDIT_DIGESTS.valueSerde().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void audit(UUID id, String actor) {
        String json = """
                {"event_id":"%s","kind":"audit","ts":"%s","source":"gw","server":"jira","actor":"%s","action":"tools/call",\
                "resource":"jira/create_issue","decision":"allow","policy":"p/1","outcome":"ok"}""".formatted(id, NOW, actor);
        events.pipeInput("jira|x", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void eachEventLinksToThePreviousOneReplaysAreChainedOnceAndEveryThirdLinkIsSigned() {
        UUID first = UUID.randomUUID();
        audit(first, "alice");
        audit(first, "alice"); // a gateway retry
        audit(UUID.randomUUID(), "bob");
        audit(UUID.randomUUID(), "carol");
        audit(UUID.randomUUID(), "dave");
        List<ChainedAudit> links = chained.readValuesToList();
        assertEquals(4, links.size(), "the replay is chained once");
        assertEquals(AuditChain.GENESIS, links.get(0).link().prevHash());
        for (int i = 0; i < links.size(); i++) {
            ChainedAudit link = links.get(i);
            assertEquals(i + 1, link.link().seq());
            if (i > 0) {
                assertEquals(links.get(i - 1).link().hash(), link.link().prevHash());
            }
            assertEquals(link.link().hash(), AuditChain.hash(link.link().prevHash(), AuditChain.textFields(link.event()),
                    link.event().envelope().ts().toEpochMilli(), link.link().partition(), link.link().seq()),
                    "the hash can be recomputed from the stored fields");
        }
        List<AuditDigest> signed = digests.readValuesToList();
        assertEquals(1, signed.size(), "digest every 3 links");
        assertEquals(3, signed.get(0).seq());
        assertEquals(AuditChain.digest(PipelineTopologyTest.TEST_AUDIT.digestKey(), 0, 3, links.get(2).link().hash()),
                signed.get(0).hmac());
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertEquals(4, digests.readValuesToList().get(0).seq(), "the interval signs the rest of the chain");
    }
}
