package io.mcpslo.allinone;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpslo.clickhouse.ClickHouseClient;
import io.mcpslo.clickhouse.ClickHouseConfig;
import io.mcpslo.common.config.Settings;
import io.mcpslo.kafka.EmbeddedKafkaBroker;
import io.mcpslo.schemas.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * `./mcp-slo bench [events]`: in one run on this machine, the raw Kafka produce and consume rates, and the
 * pipeline's end-to-end rate (posted to the collector until every raw row and rollup is in ClickHouse).
 */
public final class Benchmark {

    private static final int PARTITIONS = 4;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Settings base = Settings.fromEnvironment();
        String database = "bench_" + System.currentTimeMillis();
        System.out.printf("benchmark: %,d events, %d partitions, %d cores%n", events, PARTITIONS,
                Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            List<byte[]> payloads = payloads(events);
            double produceRate = rawProduce(broker.bootstrapServers(), payloads);
            System.out.printf("  raw Kafka produce   %,12.0f events/s%n", produceRate);
            double consumeRate = rawConsume(broker.bootstrapServers(), events);
            System.out.printf("  raw Kafka consume   %,12.0f events/s%n", consumeRate);
            Settings settings = base.with(Map.of("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "KAFKA_REPLICATION_FACTOR", "1", "CLICKHOUSE_DATABASE", database,
                    "PROCESSOR_STATE_DIR", Files.createTempDirectory("mcp-slo-bench-").toString(),
                    "COLLECTOR_PORT", "0", "QUERY_API_PORT", "0", "PROCESSOR_METRICS_PORT", "0",
                    "PROCESSOR_APPLICATION_ID", "bench-" + UUID.randomUUID()));
            ClickHouseClient clickHouse = new ClickHouseClient(ClickHouseConfig.from(settings));
            try (Pipeline pipeline = Pipeline.start(settings)) {
                double[] rates = endToEnd(pipeline, clickHouse, payloads);
                System.out.printf("  collector accepted  %,12.0f events/s (HTTP batches of 2,000, 4 clients)%n", rates[0]);
                System.out.printf("  end to end          %,12.0f events/s (posted until rows and rollups are in ClickHouse)%n",
                        rates[1]);
                System.out.printf("  ratio end-to-end / raw produce = %.2f, / raw consume = %.2f%n",
                        rates[1] / produceRate, rates[1] / consumeRate);
                System.out.printf("  query p95 over the run, step=all: %.1f ms to answer%n", queryTime(pipeline));
            } finally {
                clickHouse.execute("DROP DATABASE IF EXISTS " + database);
            }
        }
        System.exit(0);
    }

    private static List<byte[]> payloads(int events) throws Exception {
        Random random = new Random(5);
        String[] tools = {"search_code_v1", "search_code_v2", "create_issue", "read_file", "write_file"};
        String[] servers = {"github", "jira", "filesystem", "slack"};
        Instant base = Instant.now().minus(Duration.ofMinutes(30));
        List<byte[]> payloads = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            ObjectNode event = EventCodec.MAPPER.createObjectNode();
            event.put("event_id", UUID.randomUUID().toString());
            event.put("kind", "call");
            event.put("ts", base.plusMillis(random.nextInt(30 * 60_000)).toString());
            event.put("source", LocalTokens.GATEWAY_ID);
            event.put("server", servers[random.nextInt(servers.length)]);
            event.put("server_version", "1.0");
            event.put("tool", tools[random.nextInt(tools.length)]);
            event.put("method", "tools/call");
            event.put("duration_ms", Math.round(Math.exp(4 + random.nextGaussian()) * 10) / 10.0);
            event.put("outcome", random.nextInt(50) == 0 ? "transport_error" : "ok");
            payloads.add(EventCodec.MAPPER.writeValueAsBytes(event));
        }
        return payloads;
    }

    private static double rawProduce(String bootstrap, List<byte[]> payloads) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic("bench.raw", PARTITIONS, (short) 1))).all().get();
        }
        long start = System.nanoTime();
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < payloads.size(); i++) {
                producer.send(new ProducerRecord<>("bench.raw", "k" + (i % 64), payloads.get(i)));
            }
            producer.flush();
        }
        return payloads.size() / seconds(start);
    }

    private static double rawConsume(String bootstrap, int events) {
        long start = System.nanoTime();
        int read = 0;
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-raw", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("bench.raw"));
            while (read < events) {
                read += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        return events / seconds(start);
    }

    private static double[] endToEnd(Pipeline pipeline, ClickHouseClient clickHouse, List<byte[]> payloads)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI collector = URI.create("http://127.0.0.1:" + pipeline.collectorPort() + "/v1/events");
        int batchSize = 2_000;
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> work = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            work.add(clients.submit(() -> {
                int from;
                while ((from = next.getAndAdd(batchSize)) < payloads.size()) {
                    var body = new java.io.ByteArrayOutputStream();
                    for (byte[] payload : payloads.subList(from, Math.min(payloads.size(), from + batchSize))) {
                        body.writeBytes(payload);
                        body.write('\n');
                    }
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(collector)
                            .header("Content-Type", "application/x-ndjson")
                            .header("Authorization", "Bearer " + pipeline.tokens().gateway())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("collector answered " + response.statusCode() + ": "
                                + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : work) {
            future.get();
        }
        clients.shutdown();
        double accepted = payloads.size() / seconds(start);
        long lastReport = System.nanoTime();
        while (true) {
            long rows = clickHouse.query("SELECT count() AS n FROM calls FINAL").get(0).get("n").asLong();
            long rolledUp = clickHouse.query("SELECT sum(calls) AS n FROM call_rollups_1m FINAL").get(0).get("n").asLong();
            if (rows >= payloads.size() && rolledUp >= payloads.size()) {
                break;
            }
            if (System.nanoTime() - lastReport > 5_000_000_000L) {
                lastReport = System.nanoTime();
                System.out.printf("  … %,d raw rows and %,d rolled-up calls in ClickHouse%n", rows, rolledUp);
            }
            Thread.sleep(100);
        }
        return new double[] {accepted, payloads.size() / seconds(start)};
    }

    private static double queryTime(Pipeline pipeline) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + pipeline.queryPort() + "/api/v1/latency?step=all&from="
                + Instant.now().minus(Duration.ofHours(1)) + "&to=" + Instant.now().plus(Duration.ofMinutes(1)));
        double[] times = new double[20];
        for (int i = 0; i < times.length; i++) {
            long start = System.nanoTime();
            http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + pipeline.tokens().sre()).build(),
                    HttpResponse.BodyHandlers.ofString());
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        java.util.Arrays.sort(times);
        return times[(int) Math.floor(0.95 * (times.length - 1))];
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
