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
    void anEventFromTheWireIsChainedWithTheHashPinnedByTheKnownAnswerVector() {
        // the first vector of io.mcpslo.schemas.AuditChainKnownAnswerTest, as a gateway sends it
        String json = """
                {"event_id":"6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b","kind":"audit","ts":"2026-11-25T12:00:00.123Z",\
                "source":"gw-eu-1","server":"jira","server_version":"9.12.1","tool":"create_issue","method":"tools/call",\
                "protocol_version":"2025-06-18","session_id":"s-42","user":"alice","team":"payments",\
                "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7",\
                "actor":"alice","agent":"claude-code","action":"tools/call","resource":"jira/create_issue",\
                "args_hash":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","decision":"allow",\
                "policy":"p/7","outcome":"ok","reason":"see \\"PAY-1\\" in C:\\\\runbooks"}""";
        events.pipeInput("jira|create_issue", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(new AuditChain.Link(0, 1, "0".repeat(64),
                "a57b695f7f64c44a9c2feff3fce830a92ae32b4041a1ecf3036c86279f99ac94"),
                chained.readValuesToList().get(0).link());
    }

    /**
     * The first three links and the digest of the third, computed outside Java from the canonical text
     * {@link AuditChain} documents (members sorted, no whitespace, absent fields as "", ts_ms an integer):
     * <pre>
     * prev=$(printf '0%.0s' {1..64}); seq=0
     * for pair in 0000000000a1:alice 0000000000b2:bob 0000000000c3:carol; do
     *   id="00000000-0000-4000-8000-${pair%%:*}"; actor="${pair##*:}"; seq=$((seq+1))
     *   json='{"action":"tools/call","actor":"'$actor'","agent":"","args_hash":"","chain_partition":0,"chain_seq":'$seq','\
     *   '"decision":"allow","event_id":"'$id'","method":"","outcome":"ok","policy":"p/1","reason":"",'\
     *   '"resource":"jira/create_issue","server":"jira","server_version":"","session_id":"","source":"gw",'\
     *   '"span_id":"","team":"","tool":"","trace_id":"","ts_ms":1795608000000,"user":""}'
     *   prev=$(printf '%s\n%s' "$prev" "$json" | sha256sum | cut -d' ' -f1)
     * done
     * printf '0:3:%s' "$prev" | openssl dgst -sha256 -hmac 0123456789abcdef0123456789abcdef
     * </pre>
     */
    private static final List<String> FIRST_THREE_LINKS = List.of(
            "64a02a8d4e20a40c837030c2c2d731c92a976214ea15c882a78cc85ac848b86d",
            "9ae9c6da175d7d3031da69c42cc2542415b460007695b08ee4c43df0546fe292",
            "725d99ffb90053a4f22b46b64a1163f419e220b14670adb10633315c4cdad2e0");
    private static final String THIRD_LINK_DIGEST = "17ad9fc83a8b399f20ee7a620309a5f1595541906f4daa3b40eb6988399de30b";

    @Test
    void eachEventLinksToThePreviousOneReplaysAreChainedOnceAndEveryThirdLinkIsSigned() {
        UUID first = UUID.fromString("00000000-0000-4000-8000-0000000000a1");
        audit(first, "alice");
        audit(first, "alice"); // a gateway retry
        audit(UUID.fromString("00000000-0000-4000-8000-0000000000b2"), "bob");
        audit(UUID.fromString("00000000-0000-4000-8000-0000000000c3"), "carol");
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
        }
        assertEquals(FIRST_THREE_LINKS, links.subList(0, 3).stream().map(link -> link.link().hash()).toList());
        List<AuditDigest> signed = digests.readValuesToList();
        assertEquals(1, signed.size(), "digest every 3 links");
        assertEquals(3, signed.get(0).seq());
        assertEquals(FIRST_THREE_LINKS.get(2), signed.get(0).hash(), "the digest signs the third link");
        assertEquals(THIRD_LINK_DIGEST, signed.get(0).hmac());
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertEquals(4, digests.readValuesToList().get(0).seq(), "the interval signs the rest of the chain");
    }
}
